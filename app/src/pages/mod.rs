//! One routed page per file.

mod admin;
mod audit;
mod board;
mod calendar;
mod clients;
mod deals;
mod goals;
mod home;
mod import;
mod login;
mod not_found;
mod pipeline;
pub(crate) mod plan;
mod profile;
mod reports;

pub use admin::Admin;
pub use audit::AuditPage;
pub use board::BoardPage;
pub use calendar::CalendarPage;
pub use clients::{ClientPage, Clients};
pub use deals::{DealPage, Deals, activity_label};
pub use goals::GoalsPage;
pub use home::{Home, ManagerPage};
pub use import::{ImportBatchPage, ImportPage};
pub use login::Login;
pub use not_found::NotFound;
pub use pipeline::PipelinePage;
pub use plan::PlanPage;
pub use profile::Profile;
pub use reports::{ReportPage, ReportsPage};

use leptos::prelude::*;

use crate::api::ApiError;

/// The error of the last submission of `action`, for the form's messages.
fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<ApiError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = ApiError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// Bumps `changed` each time `action` succeeds, so the page's data loads again.
fn reload_on_success<I, O>(action: ServerAction<I>, changed: RwSignal<u32>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = ApiError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_))) {
            changed.update(|n| *n += 1);
        }
    });
}
