//! Settings from flags and environment variables (flags win).

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// SQLite database URL; the file is created and migrated on start.
    #[arg(long, env = "PACER_DATABASE_URL", default_value = "sqlite://pacer.db", global = true)]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "PACER_LISTEN", default_value = "127.0.0.1:3000", global = true)]
    pub listen: SocketAddr,

    /// Folder with the built browser assets (pkg/ with the WASM, JS and CSS; icons; manifest).
    #[arg(long, env = "PACER_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Mark cookies `Secure`: set this when Pacer is served over HTTPS.
    #[arg(long, env = "PACER_SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,
}
