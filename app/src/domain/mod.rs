//! Pure domain logic: plain types and functions, no Leptos, no SQL.

pub mod calendar;
pub mod client;
// The zone database stays on the server: the browser shows the dates the server computed.
#[cfg(feature = "ssr")]
pub mod clock;
pub mod deal;
pub mod forecast;
pub mod funnel;
pub mod goal;
pub mod ids;
pub mod import;
pub mod inn;
pub mod limits;
pub mod money;
pub mod payment;
pub mod period;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod session;
pub mod sync;
pub mod throttle;
pub mod user;

pub use ids::*;
pub use money::Money;
