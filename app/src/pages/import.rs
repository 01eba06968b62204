//! CSV import for the head: upload a file (a plain form, so it works before the WASM
//! loads), then check the column mapping against a preview and import all or nothing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::action_error;
use crate::api::import::{ImportPreview, RunImport, import_owners, mapping_key, preview_import};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::import::{Field, RowProblem};
use crate::i18n::Msg;
use crate::model::clients::ClientsAndDeals;
use crate::model::people::Person;
use crate::use_locale;

fn field_label(f: Field) -> Msg {
    match f {
        Field::ClientName => Msg::CompanyName,
        Field::Inn => Msg::Inn,
        Field::ContactName => Msg::ContactPerson,
        Field::ContactPosition => Msg::Position,
        Field::Phone => Msg::Phone,
        Field::Email => Msg::Email,
        Field::ClientNotes => Msg::Notes,
        Field::DealTitle => Msg::DealTitle,
        Field::DealAmount => Msg::DealAmount,
        Field::DealStage => Msg::Stage,
        Field::DealCloseDate => Msg::ExpectedClose,
        Field::DealSource => Msg::Source,
        Field::Owner => Msg::Manager,
        Field::NextStep => Msg::NextStep,
        Field::LossReason => Msg::LossReason,
    }
}

fn problem_label(p: RowProblem) -> Msg {
    match p {
        RowProblem::NoClientColumn => Msg::ImportNoClientColumn,
        RowProblem::NameMissing => Msg::ImportNameMissing,
        RowProblem::InnInvalid => Msg::ErrInnInvalid,
        RowProblem::InnConflict => Msg::ImportInnConflict,
        RowProblem::PhoneInvalid => Msg::ErrPhoneInvalid,
        RowProblem::EmailInvalid => Msg::ErrEmailMalformed,
        RowProblem::AmountInvalid => Msg::ErrAmountInvalid,
        RowProblem::AmountTooLarge => Msg::ErrAmountTooLarge,
        RowProblem::DateInvalid => Msg::ErrDateInvalid,
        RowProblem::DateOutOfRange => Msg::ErrDateOutOfRange,
        RowProblem::StageUnknown => Msg::ImportStageUnknown,
        RowProblem::OwnerUnknown => Msg::ImportOwnerUnknown,
        RowProblem::TooLong => Msg::ErrTooLong,
    }
}

fn upload_problem(code: &str) -> Msg {
    match code {
        "no_file" => Msg::ImportNoFile,
        "empty" => Msg::ImportEmpty,
        "no_rows" => Msg::ImportNoRows,
        "quote" => Msg::ImportQuote,
        "too_many" => Msg::ImportTooMany,
        "too_big" => Msg::ImportTooBig,
        "owner" => Msg::ImportChooseOwner,
        _ => Msg::ErrInternal,
    }
}

/// Step one: the file and who owns rows that name nobody.
#[component]
pub fn ImportPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let problem = move || {
        query.read().get("error").map(|code| {
            let line = query.read().get("line").map(|l| format!(" ({} {l})", locale.t(Msg::Line))).unwrap_or_default();
            format!("{}{line}", locale.t(upload_problem(&code)))
        })
    };
    let owners = Resource::new(|| (), |_| import_owners());
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::ImportTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(Msg::ImportTitle)}</h1>
                <p class="muted">{locale.t(Msg::ImportHint)}</p>
            </header>
            <section class="panel narrow">
                // A native form: the browser sends the file itself; the server answers with
                // the preview's address, or back here with the reason.
                <form method="post" action="/api/import/upload" enctype="multipart/form-data" class="form" data-test="upload-form">
                    <label class="field">
                        <span>{locale.t(Msg::ImportFile)}</span>
                        <input type="file" name="file" accept=".csv,text/csv" required/>
                    </label>
                    <label class="field">
                        <span>{locale.t(Msg::ImportDefaultOwner)}</span>
                        <select name="default_owner" required>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    owners.await.map(|list| list.into_iter().map(|Person { id, name }| view! {
                                        <option value=id.to_string()>{name}</option>
                                    }).collect_view())
                                })}
                            </Suspense>
                        </select>
                    </label>
                    {move || problem().map(|p| view! { <p class="form-error" role="alert" data-test="upload-error">{p}</p> })}
                    <button type="submit" class="btn btn-primary">{locale.t(Msg::ImportUpload)}</button>
                </form>
            </section>
        </AppFrame>
    }
}

/// Step two: the mapping, a preview, and the import.
#[component]
pub fn ImportBatchPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let run = ServerAction::<RunImport>::new();
    let key = move || {
        let batch = params.read().get("id").unwrap_or_default();
        // The mapping travels as m0, m1, … in the address, one per column.
        let q = query.read();
        let mapping: Vec<String> = (0..).map_while(|i| q.get(&format!("m{i}"))).collect();
        (batch, mapping.join(","), run.version().get())
    };
    let data = Resource::new(key, |(batch, mapping, _)| preview_import(batch, mapping));
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::ImportTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(Msg::ImportTitle)}</h1>
            </header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <PreviewView p run/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn PreviewView(p: ImportPreview, run: ServerAction<RunImport>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(run);
    let batch = use_params_map().read_untracked().get("id").unwrap_or_default();
    if let Some(ClientsAndDeals { clients, deals }) = p.imported {
        return view! {
            <section class="panel" data-test="import-done">
                <p class="notice notice-good">{format!("{} {}: {clients}, {}: {deals}.", locale.t(Msg::ImportDone), locale.t(Msg::Clients), locale.t(Msg::NavDeals))}</p>
                <p><A href="/clients">{locale.t(Msg::Clients)}</A>" · "<A href="/board">{locale.t(Msg::NavBoard)}</A></p>
            </section>
        }
        .into_any();
    }
    let ok = p.errors.is_empty();
    let summary = if ok {
        view! {
            <p class="notice notice-good" data-test="import-summary">
                {format!("{} {}: {}, {}: {}.", locale.t(Msg::ImportWillCreate), locale.t(Msg::Clients), p.clients, locale.t(Msg::NavDeals), p.deals)}
            </p>
        }
        .into_any()
    } else {
        let headers = p.headers.clone();
        view! {
            <div class="notice notice-error" data-test="import-errors">
                <p><strong>{format!("{}: {}", locale.t(Msg::ImportRowsFailed), p.errors.len())}</strong>" "{locale.t(Msg::ImportNothingYet)}</p>
                <table class="table">
                    <thead><tr><th>{locale.t(Msg::Line)}</th><th>{locale.t(Msg::Column)}</th><th>{locale.t(Msg::Value)}</th><th>{locale.t(Msg::Problem)}</th></tr></thead>
                    <tbody>
                        {p.errors.iter().take(200).map(|e| {
                            let column = e.field.and_then(|f| p.mapping.iter().position(|m| *m == Some(f)).and_then(|i| headers.get(i).cloned()))
                                .or_else(|| e.field.map(|f| locale.t(field_label(f)).to_string())).unwrap_or_default();
                            view! {
                                <tr>
                                    <td class="num">{(e.line > 0).then_some(e.line)}</td>
                                    <td>{column}</td>
                                    <td>{e.value.clone()}</td>
                                    <td>{locale.t(problem_label(e.reason))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let mapping = mapping_key(&p.mapping);
    view! {
        <p class="muted">{format!("{} · {}: {} · {}: {}", p.file_name, locale.t(Msg::ImportRows), p.rows, locale.t(Msg::ImportDefaultOwner), p.default_owner)}</p>
        <section class="panel wide">
            <h2>{locale.t(Msg::ImportMapping)}</h2>
            <Form method="GET" action="">
                <table class="table mapping" data-test="mapping">
                    <thead><tr><th>{locale.t(Msg::Column)}</th><th>{locale.t(Msg::ImportAs)}</th><th>{locale.t(Msg::ImportSample)}</th></tr></thead>
                    <tbody>
                        {p.headers.iter().enumerate().map(|(i, h)| {
                            let current = p.mapping.get(i).copied().flatten();
                            let samples = p.samples.iter().filter_map(|r| r.get(i)).filter(|c| !c.is_empty()).take(3).cloned().collect::<Vec<_>>().join(" · ");
                            view! {
                                <tr>
                                    <td><strong>{h.clone()}</strong></td>
                                    <td>
                                        <select name=format!("m{i}") aria-label=format!("{}: {h}", locale.t(Msg::ImportAs))>
                                            <option value="" selected=current.is_none()>{locale.t(Msg::ImportSkip)}</option>
                                            {Field::ALL.iter().map(|f| view! {
                                                <option value=f.as_str() selected=current == Some(*f)>{locale.t(field_label(*f))}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td class="muted sample">{samples}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="submit" class="btn">{locale.t(Msg::ImportCheck)}</button>
            </Form>
        </section>
        {summary}
        <ActionForm action=run attr:class="form" attr:novalidate=true>
            <input type="hidden" name="batch" value=batch/>
            <input type="hidden" name="mapping" value=mapping/>
            <FieldError error field="file"/>
            <FormError error/>
            <button type="submit" class="btn btn-primary" disabled=!ok data-test="run-import">{locale.t(Msg::ImportRun)}</button>
        </ActionForm>
    }
    .into_any()
}

