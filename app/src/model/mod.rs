//! Read models: what the pages show, as the store reads it. Plain data, the same in
//! the server and the browser; the store returns these and the server functions pass
//! them on.

pub mod clients;
pub mod deals;
pub mod home;
pub mod people;
