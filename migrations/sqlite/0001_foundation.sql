-- Pacer's foundation: who works where, how they sign in, and the department's
-- clients, deals and payments that the home pages summarise.
-- Ids are UUID text (v7: time-ordered, and an offline client can mint them).
-- Money is integer kopecks. Timestamps are UTC RFC 3339 text; dates are the
-- organisation's local calendar dates (YYYY-MM-DD).

create table organisation (
    organisation_id text primary key,
    name            text not null,
    currency        text not null default 'RUB',
    time_zone       text not null default 'Europe/Moscow',
    created_at      text not null
);

create table department (
    department_id   text primary key,
    organisation_id text not null references organisation (organisation_id),
    name            text not null,
    -- The name lower-cased by Pacer: SQLite's nocase folds only ASCII, not Cyrillic.
    name_key        text not null,
    created_at      text not null,
    updated_at      text not null,
    version         integer not null default 1
);
-- Names are what people pick a department by, so they must not repeat in any case.
create unique index department_name_key on department (organisation_id, name_key);

create table app_user (
    user_id         text primary key,
    organisation_id text not null references organisation (organisation_id),
    department_id   text references department (department_id),
    email           text not null,
    name            text not null,
    role            text not null check (role in ('admin', 'head', 'manager')),
    password_hash   text not null,
    -- Null until the user picks a language; the browser's choice applies then.
    locale          text check (locale in ('ru', 'en')),
    active          integer not null default 1,
    created_at      text not null,
    updated_at      text not null,
    version         integer not null default 1,
    check (role = 'admin' or department_id is not null)
);
-- Emails are stored lower-case; one account per address across all organisations,
-- because the address is the login.
create unique index app_user_email_key on app_user (email);
create index app_user_department_idx on app_user (department_id);

-- Only a SHA-256 of the session id is stored: a leaked database cannot be replayed
-- as cookies.
create table session (
    session_hash    text primary key,
    user_id         text not null references app_user (user_id) on delete cascade,
    created_at      text not null,
    last_seen_at    text not null,
    user_agent      text
);
create index session_user_idx on session (user_id);

-- Failed sign-ins per key ('email:…' or 'ip:…') inside the current window.
create table login_failure (
    failure_key     text primary key,
    failures        integer not null,
    window_started_at text not null,
    locked_until    text
);

create table client (
    client_id       text primary key,
    department_id   text not null references department (department_id),
    owner_id        text not null references app_user (user_id),
    name            text not null,
    inn             text,
    notes           text not null default '',
    created_at      text not null,
    updated_at      text not null,
    updated_by      text not null references app_user (user_id),
    version         integer not null default 1,
    deleted_at      text
);
create index client_owner_idx on client (owner_id);
create index client_department_idx on client (department_id);

create table contact (
    contact_id      text primary key,
    client_id       text not null references client (client_id),
    name            text not null,
    position        text not null default '',
    phone           text not null default '',
    email           text not null default '',
    created_at      text not null,
    updated_at      text not null,
    version         integer not null default 1,
    deleted_at      text
);
create index contact_client_idx on contact (client_id);

-- The department's pipeline. `code` names the built-in stages so their names can be
-- shown in the user's language; a head's own stage has a `name` instead.
create table stage (
    stage_id        text primary key,
    department_id   text not null references department (department_id),
    code            text,
    name            text,
    position        integer not null,
    -- Chance, in percent, that a deal at this stage is won; used by the forecast.
    probability     integer not null check (probability between 0 and 100),
    outcome         text not null default 'open' check (outcome in ('open', 'won', 'lost')),
    check (code is not null or name is not null)
);
create index stage_department_idx on stage (department_id, position);

create table deal (
    deal_id         text primary key,
    department_id   text not null references department (department_id),
    client_id       text not null references client (client_id),
    owner_id        text not null references app_user (user_id),
    stage_id        text not null references stage (stage_id),
    title           text not null,
    amount          integer not null check (amount >= 0),
    expected_close_on text,
    next_step       text not null default '',
    next_step_due_on text,
    source          text not null default '',
    loss_reason     text,
    closed_on       text,
    created_at      text not null,
    updated_at      text not null,
    updated_by      text not null references app_user (user_id),
    version         integer not null default 1,
    deleted_at      text
);
create index deal_owner_idx on deal (owner_id, stage_id);
create index deal_department_idx on deal (department_id, stage_id);
create index deal_client_idx on deal (client_id);

create table expected_payment (
    expected_payment_id text primary key,
    deal_id         text not null references deal (deal_id),
    amount          integer not null check (amount > 0),
    due_on          text not null,
    created_at      text not null,
    updated_at      text not null,
    updated_by      text not null references app_user (user_id),
    version         integer not null default 1,
    deleted_at      text
);
create index expected_payment_deal_idx on expected_payment (deal_id);

create table received_payment (
    received_payment_id text primary key,
    deal_id         text not null references deal (deal_id),
    amount          integer not null check (amount > 0),
    received_on     text not null,
    created_at      text not null,
    updated_at      text not null,
    updated_by      text not null references app_user (user_id),
    version         integer not null default 1,
    deleted_at      text
);
create index received_payment_deal_idx on received_payment (deal_id);
create index received_payment_date_idx on received_payment (received_on);

-- Calls, meetings, notes: append-only, so they never conflict.
create table activity (
    activity_id     text primary key,
    deal_id         text references deal (deal_id),
    client_id       text not null references client (client_id),
    user_id         text not null references app_user (user_id),
    kind            text not null check (kind in ('call', 'meeting', 'note', 'stage', 'payment')),
    body            text not null default '',
    occurred_at     text not null
);
create index activity_deal_idx on activity (deal_id, occurred_at);

create table audit_log (
    audit_id        integer primary key autoincrement,
    organisation_id text not null references organisation (organisation_id),
    user_id         text references app_user (user_id),
    entity          text not null,
    entity_id       text not null,
    action          text not null,
    detail          text not null default '{}',
    at              text not null
);
create index audit_log_entity_idx on audit_log (entity, entity_id);
