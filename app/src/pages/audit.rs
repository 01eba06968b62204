//! The head's audit log: every change in the department, newest first, in words.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::audit::{AuditLine, audit_log};
use crate::api::deals::StageOption;
use crate::components::{AppFrame, ErrorNotice};
use crate::domain::Money;
use crate::i18n::{Locale, Msg, format_date};
use crate::use_locale;

/// What an entry says, in the reader's language.
fn describe(line: &AuditLine, stages: &[StageOption], locale: Locale) -> String {
    let d = &line.detail;
    let text = |key: &str| d.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let money = |key: &str| d.get(key).and_then(|v| v.as_i64()).map(|k| Money::from_kopecks(k).format(locale)).unwrap_or_default();
    let date = |key: &str| {
        d.get(key).and_then(|v| v.as_str()).and_then(|s| s.parse().ok()).map(|x| format_date(locale, x)).unwrap_or_default()
    };
    let t = |m: Msg| locale.t(m).to_string();
    match (line.entity.as_str(), line.action.as_str()) {
        ("deal", "set_stage") => {
            let stage = stages.iter().find(|s| s.id == text("stage")).map(|s| s.label(locale)).unwrap_or_default();
            let reason = text("loss_reason");
            if reason.is_empty() { format!("{}: {stage}", t(Msg::MoveStage)) } else { format!("{}: {stage} ({reason})", t(Msg::MoveStage)) }
        }
        ("deal", "record_payment") => format!("{}: {}, {}", t(Msg::RecordPayment), money("amount"), date("received_on")),
        ("deal", "expect_payment") => format!("{}: {}, {} {}", t(Msg::AddExpected), money("amount"), t(Msg::ExpectedBy), date("due_on")),
        ("deal", "set_next_step") => format!("{}: {} {}", t(Msg::NextStep), text("next_step"), date("due_on")),
        ("deal", "set_owner") => format!("{}: {} → {}", t(Msg::AuditSetOwner), text("from"), text("to")),
        ("deal", "create") => format!("{}: {}", t(Msg::NewDeal), money("amount")),
        ("client", "create") => t(Msg::NewClient),
        ("client", "update") => t(Msg::AuditClientUpdated),
        ("client", "add_contact") => format!("{}: {}", t(Msg::AuditContactAdded), text("name")),
        ("client", "update_contact") => format!("{}: {}", t(Msg::AuditContactChanged), text("name")),
        ("client", "remove_contact") => format!("{}: {}", t(Msg::AuditContactRemoved), text("name")),
        ("user", "reassign_all") => format!(
            "{}: {} {}, {} {}",
            t(Msg::Reassign),
            t(Msg::Clients),
            d.get("clients").and_then(|v| v.as_i64()).unwrap_or_default(),
            t(Msg::NavDeals),
            d.get("deals").and_then(|v| v.as_i64()).unwrap_or_default()
        ),
        ("stage", "create") => format!("{}: {}", t(Msg::AddStage), text("name")),
        ("stage", "update") => format!("{}: {}, {}%", t(Msg::PipelineSettings), text("name"), d.get("probability").and_then(|v| v.as_i64()).unwrap_or_default()),
        ("stage", "delete") => format!("{}: {}", t(Msg::Delete), text("name")),
        ("department", "reorder_stages") => t(Msg::AuditStagesReordered),
        ("department", "set_stale_days") => {
            format!("{}: {}", t(Msg::StaleSetting), d.get("days").and_then(|v| v.as_i64()).unwrap_or_default())
        }
        ("import", "import") => format!(
            "{}: {} {}, {} {}",
            t(Msg::ImportTitle),
            t(Msg::Clients),
            d.get("clients").and_then(|v| v.as_i64()).unwrap_or_default(),
            t(Msg::NavDeals),
            d.get("deals").and_then(|v| v.as_i64()).unwrap_or_default()
        ),
        ("user", "change_password") => t(Msg::AuditPasswordChanged),
        (entity, action) => format!("{entity}: {action}"),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let before = move || query.read().get("before").and_then(|b| b.parse::<i64>().ok());
    let data = Resource::new(before, audit_log);
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::AuditTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(Msg::AuditTitle)}</h1>
                <p class="muted">{locale.t(Msg::AuditHint)}</p>
            </header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) if page.lines.is_empty() => view! { <p class="notice">{locale.t(Msg::AuditEmpty)}</p> }.into_any(),
                        Ok(page) => view! {
                            <section class="panel wide">
                                <table class="table" data-test="audit">
                                    <thead><tr><th>{locale.t(Msg::AuditWhen)}</th><th>{locale.t(Msg::AuditWho)}</th><th>{locale.t(Msg::AuditWhat)}</th><th>{locale.t(Msg::AuditSubject)}</th></tr></thead>
                                    <tbody>
                                        {page.lines.iter().map(|l| {
                                            let subject = l.subject.clone().map(|s| {
                                                let href = if l.entity == "deal" { format!("/deals/{}", l.entity_id) } else { format!("/clients/{}", l.entity_id) };
                                                view! { <A href=href>{s}</A> }
                                            });
                                            view! {
                                                <tr>
                                                    <td class="nowrap">{format!("{} {}", format_date(locale, l.at.date()), l.at.format("%H:%M"))}</td>
                                                    <td>{l.user.clone()}</td>
                                                    <td>{describe(l, &page.stages, locale)}</td>
                                                    <td>{subject}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            {page.older.map(|id| view! { <p><A href=format!("/audit?before={id}") attr:class="btn btn-small">{locale.t(Msg::AuditOlder)}</A></p> })}
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}
