-- Planning: the organisation's working calendar, department plans per month and their
-- split onto managers.

-- Exceptions to "Monday to Friday": holidays on weekdays and weekend days worked.
create table calendar_day (
    organisation_id text not null references organisation (organisation_id),
    day             text not null,
    kind            text not null check (kind in ('holiday', 'workday')),
    name            text not null default '',
    primary key (organisation_id, day)
) without rowid;

-- The years whose public holidays were seeded, so a holiday the admin removed stays removed.
create table calendar_year (
    organisation_id text not null references organisation (organisation_id),
    year            integer not null,
    primary key (organisation_id, year)
) without rowid;

-- What a manager can give a plan: their load in percent and the day they started.
alter table app_user add column load_percent integer not null default 100 check (load_percent between 1 and 100);
alter table app_user add column works_from text;

-- A department's plan for one month; a quarter plan is three months sharing `quarter`.
create table plan (
    department_id   text not null references department (department_id),
    month           text not null,
    metric          text not null check (metric in ('received', 'won_amount', 'won_count')),
    target          integer not null check (target >= 0),
    method          text not null check (method in ('equal', 'history', 'manual')),
    history_months  integer not null default 3,
    quarter         text,
    -- The day the head last dismissed a rebalancing proposal (it stays hidden that day).
    dismissed_on    text,
    updated_at      text not null,
    updated_by      text not null references app_user (user_id),
    version         integer not null default 1,
    primary key (department_id, month)
) without rowid;

create table plan_share (
    department_id   text not null,
    month           text not null,
    user_id         text not null references app_user (user_id),
    target          integer not null check (target >= 0),
    primary key (department_id, month, user_id),
    foreign key (department_id, month) references plan (department_id, month) on delete cascade
) without rowid;
create index plan_share_user_idx on plan_share (user_id, month);
