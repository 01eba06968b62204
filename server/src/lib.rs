//! Pacer's server: configuration, HTTP stack, demo data. `main.rs` is only the CLI.

pub mod config;
pub mod demo;
pub mod http;
pub mod telemetry;

pub use http::{AppState, router};
