//! Pacer's server: configuration, HTTP stack, backups, demo and scale data. `main.rs` is only the CLI.

pub mod backup;
pub mod config;
pub mod demo;
pub mod http;
pub mod scale;
pub mod telemetry;

pub use http::{AppState, router};
