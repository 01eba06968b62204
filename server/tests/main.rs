//! The server's integration tests, one binary: each module drives the real
//! router over a real SQLite file. One binary links once instead of a dozen
//! times, which keeps the test build small and fast.

mod common;

mod access;
mod assets;
mod auth;
mod backup;
mod bounds;
mod clients;
mod clock;
mod deals;
mod demo;
mod fuzz;
mod goals;
mod import;
mod matrix;
mod pipeline;
mod plan;
mod scale;
mod sync;
mod sync_model;
