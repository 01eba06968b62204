//! The admin's working calendar: a year's holidays and working weekend days.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::api::calendar::{SetCalendarDay, calendar_year};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::calendar::{CalendarEntry, DayKind};
use crate::domain::user::Role;
use crate::i18n::{Msg, format_date};
use crate::{use_locale, use_viewer};

#[component]
pub fn CalendarPage() -> impl IntoView {
    let locale = use_locale();
    let is_admin = use_viewer().is_some_and(|v| v.role == Role::Admin);
    let query = use_query_map();
    let changed = RwSignal::new(0u32);
    let data = Resource::new(
        move || (query.read().get("year").and_then(|y| y.parse::<i32>().ok()), changed.get()),
        |(year, _)| calendar_year(year),
    );
    let add = ServerAction::<SetCalendarDay>::new();
    let add_error = action_error(add);
    super::reload_on_success(add, changed);
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::CalendarTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(Msg::CalendarTitle)}</h1>
                <p class="muted">{locale.t(Msg::CalendarHint)}</p>
            </header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(year) => {
                            let y = year.year;
                            view! {
                                <nav class="month-nav" data-test="year-nav">
                                    <A href=format!("/calendar?year={}", y - 1) attr:class="btn btn-small" attr:aria-label=locale.t(Msg::PreviousYear)>"←"</A>
                                    <span class="month-title">{y}</span>
                                    <A href=format!("/calendar?year={}", y + 1) attr:class="btn btn-small" attr:aria-label=locale.t(Msg::NextYear)>"→"</A>
                                </nav>
                                <p data-test="working-days">{locale.t(Msg::WorkingDaysInYear).replace("{n}", &year.working_days.to_string())}</p>
                                <section class="panel">
                                    <ul class="calendar-rows" data-test="calendar-days">
                                        {year.entries.into_iter().map(|CalendarEntry { day, kind, name }| view! {
                                            <CalendarRow day kind name editable=is_admin changed/>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {is_admin.then(|| view! {
                <section class="panel narrow" data-test="add-day">
                    <h2>{locale.t(Msg::AddDay)}</h2>
                    <ActionForm action=add attr:class="form" attr:novalidate=true>
                        <label class="field">
                            <span>{locale.t(Msg::Date)}</span>
                            <input type="date" name="day"/>
                            <FieldError error=add_error field="day"/>
                        </label>
                        <label class="field">
                            <span>{locale.t(Msg::Kind)}</span>
                            <select name="kind">
                                <option value="holiday">{locale.t(Msg::DayHoliday)}</option>
                                <option value="workday">{locale.t(Msg::DayWorkday)}</option>
                            </select>
                        </label>
                        <label class="field">
                            <span>{locale.t(Msg::DayName)}</span>
                            <input name="name" maxlength="200"/>
                            <FieldError error=add_error field="name"/>
                        </label>
                        <FormError error=add_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::AddDay)}</button>
                    </ActionForm>
                </section>
            })}
        </AppFrame>
    }
}

#[component]
fn CalendarRow(day: chrono::NaiveDate, kind: DayKind, name: String, editable: bool, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let clear = ServerAction::<SetCalendarDay>::new();
    super::reload_on_success(clear, changed);
    let kind_label = locale.t(match kind {
        DayKind::Holiday => Msg::DayHoliday,
        DayKind::Workday => Msg::DayWorkday,
    });
    let date = format_date(locale, day);
    view! {
        <li data-test="calendar-day" data-day=day.to_string()>
            <span><strong>{date.clone()}</strong>" · "{kind_label}{(!name.is_empty()).then(|| format!(" · {name}"))}</span>
            {editable.then(|| view! {
                <ActionForm action=clear>
                    <input type="hidden" name="day" value=day.to_string()/>
                    <button type="submit" class="btn btn-small" aria-label=format!("{} · {date}", locale.t(Msg::RemoveDay))>{locale.t(Msg::RemoveDay)}</button>
                </ActionForm>
            })}
        </li>
    }
}
