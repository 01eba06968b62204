use leptos::prelude::*;
use leptos_meta::Title;

use super::action_error;
use crate::api::admin::{CreateDepartment, CreateUser, DeactivateUser, Department, ResetPassword, UserSummary, admin_overview};
use crate::components::frame::role_label;
use crate::components::{AppFrame, FieldError, FormError};
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::use_locale;

#[component]
pub fn Admin() -> impl IntoView {
    let locale = use_locale();
    let create_department = ServerAction::<CreateDepartment>::new();
    let create_user = ServerAction::<CreateUser>::new();
    let deactivate = ServerAction::<DeactivateUser>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let data = Resource::new(
        move || (create_department.version().get(), create_user.version().get(), deactivate.version().get()),
        |_| admin_overview(),
    );
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::NavAdmin), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head"><h1>{locale.t(Msg::NavAdmin)}</h1></header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(overview) => view! {
                            <div class="grid-2">
                                <DepartmentsPanel departments=overview.departments.clone() create=create_department/>
                                <NewUserForm departments=overview.departments action=create_user/>
                            </div>
                            <UsersPanel users=overview.users deactivate reset/>
                        }.into_any(),
                        Err(e) => {
                            let msg = e.general().unwrap_or(Msg::ErrInternal);
                            view! { <p class="notice notice-error" role="alert">{locale.t(msg)}</p> }.into_any()
                        }
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn DepartmentsPanel(departments: Vec<Department>, create: ServerAction<CreateDepartment>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(create);
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    view! {
        <section class="panel">
            <h2>{locale.t(Msg::Departments)}</h2>
            <ul class="plain-list" data-test="departments">
                {departments.into_iter().map(|d| view! {
                    <li><span>{d.name}</span><span class="muted">{locale.t(Msg::PeopleCount)}": "{d.people}</span></li>
                }).collect_view()}
            </ul>
            <h3 class="subhead">{locale.t(Msg::CreateDepartment)}</h3>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <label class="field">
                    <span>{locale.t(Msg::DepartmentName)}</span>
                    <input type="text" name="name" required maxlength="100"/>
                    <FieldError error field="name"/>
                </label>
                <FormError error/>
                {move || created().then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::DepartmentCreated)}</p> })}
                <button type="submit" class="btn btn-primary">{locale.t(Msg::Create)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn NewUserForm(departments: Vec<Department>, action: ServerAction<CreateUser>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    let created = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <section class="panel">
            <h2>{locale.t(Msg::CreateUser)}</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <label class="field">
                    <span>{locale.t(Msg::FullName)}</span>
                    <input type="text" name="name" required maxlength="100" autocomplete="off"/>
                    <FieldError error field="name"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::Email)}</span>
                    <input type="email" name="email" required autocomplete="off"/>
                    <FieldError error field="email"/>
                </label>
                <div class="field-row">
                    <label class="field">
                        <span>{locale.t(Msg::Role)}</span>
                        <select name="role">
                            {[Role::Manager, Role::Head, Role::Admin].into_iter().map(|r| view! {
                                <option value=r.as_str()>{locale.t(role_label(r))}</option>
                            }).collect_view()}
                        </select>
                        <FieldError error field="role"/>
                    </label>
                    <label class="field">
                        <span>{locale.t(Msg::Department)}</span>
                        <select name="department">
                            {departments.iter().map(|d| view! {
                                <option value=d.id.to_string()>{d.name.clone()}</option>
                            }).collect_view()}
                            <option value="">{locale.t(Msg::NoDepartmentOption)}</option>
                        </select>
                        <FieldError error field="department"/>
                    </label>
                </div>
                <label class="field">
                    <span>{locale.t(Msg::InitialPassword)}</span>
                    <input type="text" name="password" required minlength="8" autocomplete="new-password"/>
                    <FieldError error field="password"/>
                </label>
                <FormError error/>
                {move || created().then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::UserCreated)}</p> })}
                <button type="submit" class="btn btn-primary">{locale.t(Msg::Create)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn UsersPanel(
    users: Vec<UserSummary>,
    deactivate: ServerAction<DeactivateUser>,
    reset: ServerAction<ResetPassword>,
) -> impl IntoView {
    let locale = use_locale();
    let deactivate_error = action_error(deactivate);
    let reset_error = action_error(reset);
    let reset_done = move || matches!(reset.value().get(), Some(Ok(())));
    let deactivated = move || matches!(deactivate.value().get(), Some(Ok(())));
    let me = crate::use_viewer().map(|v| v.user_id);
    let rows = users
        .into_iter()
        .map(|u| {
            // The admin's own password changes in the profile; their account cannot be switched off here.
            let actionable = u.active && Some(u.id) != me;
            let id = u.id.to_string();
            let reset_id = id.clone();
            view! {
                <tr class:inactive=!u.active>
                    <td data-label=locale.t(Msg::FullName)>{u.name.clone()}</td>
                    <td data-label=locale.t(Msg::Email)>{u.email.clone()}</td>
                    <td data-label=locale.t(Msg::Role)>{locale.t(role_label(u.role))}</td>
                    <td data-label=locale.t(Msg::Department)>{u.department_name.clone().unwrap_or_else(|| "—".into())}</td>
                    <td data-label=locale.t(Msg::Status)>
                        {if u.active { locale.t(Msg::Active) } else { locale.t(Msg::Deactivated) }}
                    </td>
                    <td class="actions">
                        {actionable.then(|| view! {
                            // Deactivation asks once more, without needing any script.
                            <details class="reset">
                                <summary class="btn btn-small btn-danger">{locale.t(Msg::Deactivate)}</summary>
                                <ActionForm action=deactivate attr:class="inline confirm">
                                    <input type="hidden" name="user" value=id.clone()/>
                                    <span>{locale.t(Msg::ConfirmDeactivate)}</span>
                                    <button type="submit" class="btn btn-small btn-danger" data-test="deactivate">{locale.t(Msg::Deactivate)}</button>
                                </ActionForm>
                            </details>
                            <details class="reset">
                                <summary class="btn btn-small">{locale.t(Msg::ResetPassword)}</summary>
                                <ActionForm action=reset attr:class="inline">
                                    <input type="hidden" name="user" value=reset_id.clone()/>
                                    <input type="text" name="password" minlength="8" required
                                        aria-label=format!("{} {}", locale.t(Msg::NewPasswordFor), u.name)/>
                                    <button type="submit" class="btn btn-small btn-primary">{locale.t(Msg::Save)}</button>
                                </ActionForm>
                            </details>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>{locale.t(Msg::Users)}</h2>
            <FormError error=deactivate_error/>
            <FieldError error=deactivate_error field="user"/>
            <FieldError error=reset_error field="password"/>
            <FormError error=reset_error/>
            {move || reset_done().then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::PasswordReset)}</p> })}
            {move || deactivated().then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::UserDeactivated)}</p> })}
            <table class="table" data-test="users">
                <thead>
                    <tr>
                        <th>{locale.t(Msg::FullName)}</th>
                        <th>{locale.t(Msg::Email)}</th>
                        <th>{locale.t(Msg::Role)}</th>
                        <th>{locale.t(Msg::Department)}</th>
                        <th>{locale.t(Msg::Status)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
