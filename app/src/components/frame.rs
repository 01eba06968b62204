use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use crate::api::account::{Logout, SetLocale};
use crate::domain::user::Role;
use crate::i18n::{Locale, Msg};
use crate::{reload_to, use_locale, use_viewer};

/// The signed-in layout: a sidebar on a desktop, a tab bar at the bottom of a phone.
/// Sends anyone not signed in to the login page.
#[component]
pub fn AppFrame(children: ChildrenFn) -> impl IntoView {
    let locale = use_locale();
    let Some(viewer) = use_viewer() else {
        return view! { <Redirect path="/login"/> }.into_any();
    };
    let is_admin = viewer.role == Role::Admin;
    let is_head = viewer.role == Role::Head;
    let role = role_label(viewer.role);
    view! {
        <div class="frame">
            <nav class="nav" aria-label=locale.t(Msg::AppName)>
                <div class="brand">
                    <span class="logo" aria-hidden="true">"P"</span>
                    <span class="brand-name">{locale.t(Msg::AppName)}</span>
                </div>
                <A href="/" exact=true attr:class="nav-link">
                    <Icon d="M3 11l9-8 9 8v10h-6v-6H9v6H3z"/>
                    <span>{locale.t(Msg::NavHome)}</span>
                </A>
                {(!is_admin).then(|| view! {
                    <A href="/deals" attr:class="nav-link">
                        <Icon d="M4 6h16v3H4zm0 5h16v3H4zm0 5h10v3H4z"/>
                        <span>{locale.t(Msg::NavDeals)}</span>
                    </A>
                })}
                {is_head.then(|| view! {
                    <A href="/board" attr:class="nav-link">
                        <Icon d="M3 4h5v16H3zm6.5 0h5v11h-5zM16 4h5v7h-5z"/>
                        <span>{locale.t(Msg::NavBoard)}</span>
                    </A>
                    <A href="/plan" attr:class="nav-link">
                        <Icon d="M4 20V10h3v10zm6.5 0V4h3v16zM17 20v-7h3v7z"/>
                        <span>{locale.t(Msg::NavPlan)}</span>
                    </A>
                })}
                {is_head.then(|| view! {
                    <A href="/reports" attr:class="nav-link">
                        <Icon d="M6 3h9l4 4v14H6zm3 7h7v2H9zm0 4h7v2H9z"/>
                        <span>{locale.t(Msg::NavReports)}</span>
                    </A>
                })}
                {(!is_admin).then(|| view! {
                    <A href="/goals" attr:class="nav-link">
                        <Icon d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4a6 6 0 1 1 0 12 6 6 0 0 1 0-12zm0 3a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/>
                        <span>{locale.t(Msg::NavGoals)}</span>
                    </A>
                })}
                {(!is_admin).then(|| view! {
                    <A href="/clients" attr:class="nav-link">
                        <Icon d="M4 21V5l8-3 8 3v16h-6v-5h-4v5zm4-13h2v2H8zm6 0h2v2h-2zm-6 4h2v2H8zm6 0h2v2h-2z"/>
                        <span>{locale.t(Msg::NavClients)}</span>
                    </A>
                })}
                {is_admin.then(|| view! {
                    <A href="/admin" attr:class="nav-link">
                        <Icon d="M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7z"/>
                        <span class="long">{locale.t(Msg::NavAdmin)}</span>
                        <span class="short">{locale.t(Msg::NavAdminShort)}</span>
                    </A>
                    <A href="/calendar" attr:class="nav-link">
                        <Icon d="M5 4h14v4H5zm0 6h4v4H5zm5 0h4v4h-4zm5 0h4v4h-4zM5 15h4v4H5zm5 0h4v4h-4z"/>
                        <span>{locale.t(Msg::NavCalendar)}</span>
                    </A>
                })}
                <A href="/profile" attr:class="nav-link">
                    <Icon d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 9c0-4 4-6 8-6s8 2 8 6z"/>
                    <span>{locale.t(Msg::NavProfile)}</span>
                </A>
                <div class="nav-foot">
                    <div class="who">
                        <div class="who-name">{viewer.name.clone()}</div>
                        <div class="who-role">{locale.t(role)}{viewer.department_name.clone().map(|d| format!(" · {d}"))}</div>
                    </div>
                    <LanguageSwitch/>
                    <LogoutButton/>
                </div>
            </nav>
            <main class="content">
                {(!is_admin).then(|| view! { <crate::components::SyncStatus/> })}
                {children()}
            </main>
        </div>
    }
    .into_any()
}

#[component]
fn Icon(d: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d=d></path></svg>
    }
}

pub fn role_label(role: Role) -> Msg {
    match role {
        Role::Admin => Msg::RoleAdmin,
        Role::Head => Msg::RoleHead,
        Role::Manager => Msg::RoleManager,
    }
}

#[component]
fn LogoutButton() -> impl IntoView {
    let locale = use_locale();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move || {
        if let Some(Ok(())) = logout.value().get() {
            reload_to("/login");
        }
    });
    view! {
        <ActionForm action=logout attr:class="logout">
            <button type="submit" class="btn btn-ghost" data-test="logout">
                <Icon d="M10 4H5v16h5v-2H7V6h3zm5.6 3.4L14.2 8.8 16.4 11H9v2h7.4l-2.2 2.2 1.4 1.4L20.2 12z"/>
                <span>{locale.t(Msg::NavLogout)}</span>
            </button>
        </ActionForm>
    }
}

/// Switches between Russian and English; the choice is saved and the page reloads in it.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let current = use_locale();
    let set_locale = ServerAction::<SetLocale>::new();
    Effect::new(move || {
        if let Some(Ok(())) = set_locale.value().get() {
            if let Some(window) = web_sys_window_path() {
                reload_to(&window);
            }
        }
    });
    view! {
        <div class="lang" role="group" aria-label=current.t(Msg::Language)>
            {Locale::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button
                            type="button"
                            class="lang-btn"
                            class:active=move || l == current
                            aria-pressed=if l == current { "true" } else { "false" }
                            lang=l.code()
                            data-locale=l.code()
                            on:click=move |_| {
                                if l != current {
                                    set_locale.dispatch(SetLocale { locale: l });
                                }
                            }
                        >
                            {l.code().to_uppercase()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The current path, to reload the same page in the new language.
fn web_sys_window_path() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.location().pathname().ok())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}
