//! `pacer`: the Pacer server and its maintenance commands.

use anyhow::Context;
use app::domain::Money;
use app::domain::user::{Email, NewPassword, PersonName, Role};
use app::i18n::Locale;
use app::store::{NewUser, Store};
use clap::{Parser, Subcommand};
use server::config::Config;
use server::{AppState, backup, demo, router, scale, telemetry};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use app::store::prelude::*;

/// Pacer — plans, pace, deals and payments for a sales department.
///
/// Every option can also be given as an environment variable (shown in brackets).
#[derive(Parser, Debug)]
#[command(
    name = "pacer",
    version,
    about,
    after_help = "Examples:\n  pacer serve --demo                        serve, filling an empty database with the demo department\n  pacer --listen 0.0.0.0:8080 --secure-cookies serve\n  PACER_PASSWORD=… pacer create-user --email boss@example.ru --name \"Ирина Громова\" --role admin\n  pacer --database-url sqlite://scale.db seed-scale --deals 20000\n  pacer backup /var/backups/pacer-$(date +%F).db   while Pacer runs\n  pacer restore /var/backups/pacer-2025-03-01.db   after stopping Pacer\n\nThe database file is created and migrated on start (backup and restore take it as it is); `pacer migrate` only migrates."
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Fill an empty database with the demo department and print its logins.
        #[arg(long)]
        demo: bool,
    },
    /// Create or update the database schema, then exit.
    Migrate,
    /// Create a user. The password is read from PACER_PASSWORD.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, head or manager
        #[arg(long, default_value = "admin")]
        role: String,
        /// Department name; created if missing. Required for head and manager.
        #[arg(long)]
        department: Option<String>,
        #[arg(long, env = "PACER_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Fill an empty database with the demo organisation and print its logins.
    SeedDemo,
    /// Fill an empty database with one department at scale, for load tests, and print its logins.
    SeedScale(scale::Size),
    /// Copy the database into a new FILE, consistently, while Pacer keeps running.
    Backup {
        /// Where the copy goes; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Replace the database with the backup FILE (stop Pacer first); the current
    /// database is kept beside it as <name>.before-restore-<time>.
    Restore {
        /// A backup made by `pacer backup`, by this Pacer or an older one.
        file: PathBuf,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            let store = open(&config).await?;
            if demo {
                seed_and_print(&store).await?;
            }
            serve(config, store).await
        }
        Command::Migrate => {
            open(&config).await?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::SeedDemo => seed_and_print(&open(&config).await?).await,
        Command::SeedScale(size) => seed_scale(&open(&config).await?, size).await,
        Command::CreateUser { email, name, role, department, password } => {
            create_user(&open(&config).await?, &email, &name, &role, department.as_deref(), password).await
        }
        // These take the database file as it is: opening it would migrate it.
        Command::Backup { file } => back_up(&config, &file).await,
        Command::Restore { file } => restore(&config, &file).await,
    }
}

/// Opens the database, creating and migrating it as needed.
async fn open(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.database_url).await.with_context(|| format!("opening database {}", config.database_url))
}

async fn back_up(config: &Config, file: &Path) -> anyhow::Result<()> {
    let database = backup::database_path(&config.database_url)?;
    let report = backup::backup(&database, file).await?;
    println!("Backup of {} written:", database.display());
    print_report(&report);
    Ok(())
}

async fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    let database = backup::database_path(&config.database_url)?;
    let restored = backup::restore(file, &database, chrono::Utc::now()).await?;
    println!("Restored {} from {}:", database.display(), file.display());
    print_report(&restored.report);
    match restored.kept {
        Some(kept) => println!("The database it replaced is kept as {}.", kept.display()),
        None => println!("There was no database there before."),
    }
    Ok(())
}

fn print_report(report: &backup::Report) {
    let h = &report.holdings;
    let money = |m: Money| m.format(Locale::En);
    println!("  {}  ({} bytes)", report.path.display(), report.bytes);
    println!("  {} clients, {} deals, {} payments", h.clients, h.deals, h.payments);
    println!("  deals worth {}, received {}, expected {}", money(h.deal_amounts), money(h.received), money(h.expected));
}

async fn seed_and_print(store: &Store) -> anyhow::Result<()> {
    match demo::seed(store).await? {
        Some(logins) => {
            println!("\nDemo department is ready. Sign in with any of these (password: {}):", demo::PASSWORD);
            for (email, role, name) in logins {
                println!("  {email:<28} {role:<8} {name}");
            }
            println!();
        }
        None => println!("The database already has users; demo data was not added."),
    }
    Ok(())
}

async fn seed_scale(store: &Store, size: scale::Size) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let Some(logins) = scale::seed(store, size).await? else {
        anyhow::bail!("the database already has users; seed-scale fills only an empty one (give --database-url a new file)");
    };
    println!(
        "\nScale department is ready ({:.1} s): {} managers, {} clients, {} deals, {} payments, {} activities.",
        started.elapsed().as_secs_f64(),
        size.managers(),
        size.clients(),
        size.deals(),
        size.payments(),
        size.activities(),
    );
    println!("Sign in with any of these (password: {}):", scale::PASSWORD);
    for (email, role) in logins {
        println!("  {email:<20} {role}");
    }
    println!();
    // The connections close before exit instead of being dropped with the process.
    store.close().await;
    Ok(())
}

async fn serve(config: Config, store: Store) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen).await.with_context(|| format!("binding {}", config.listen))?;
    let state = AppState::new(store.clone(), &config);
    let app = router(state);
    tracing::info!("Pacer is listening on http://{}", config.listen);
    println!("Pacer is running at http://{}  (Ctrl-C stops it)", config.listen);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
        .await?;
    store.close().await;
    Ok(())
}

async fn create_user(
    store: &Store,
    email: &str,
    name: &str,
    role: &str,
    department: Option<&str>,
    password: String,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = PersonName::parse(name).context("the name must be 1 to 100 characters")?;
    let role = Role::parse(role).context("the role must be admin, head or manager")?;
    let password = NewPassword::parse(password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let org = store.ensure_organisation("Pacer").await?;
    let department_id = match department {
        Some(name) => Some(demo::ensure_department(store, org, name).await?),
        None if role.needs_department() => anyhow::bail!("--department is required for a {role}"),
        None => None,
    };
    let hash = app::auth::hash_password(&password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = store
        .create_user(NewUser { organisation_id: org, department_id, email: &email, name: name.as_str(), role, password_hash: &hash })
        .await?;
    println!("Created {role} {} <{}> ({user})", name.as_str(), email.as_str());
    Ok(())
}
