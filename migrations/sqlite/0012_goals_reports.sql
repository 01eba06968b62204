-- SMART goals and the reporting cadence.

create table goal (
    goal_id         text primary key,
    department_id   text not null references department (department_id),
    -- Whose goal it is (a manager of the department).
    user_id         text not null references app_user (user_id),
    -- Specific: what exactly, in words.
    title           text not null,
    -- Measurable: what Pacer counts, or 'manual' for a check-in by the manager.
    metric          text not null check (metric in ('received', 'won_amount', 'won_count', 'stage_moves', 'calls', 'manual')),
    stage_id        text,
    target          integer not null check (target > 0),
    -- Time-bound: the window the metric is counted in.
    starts_on       text not null,
    due_on          text not null,
    -- Relevant: to the plan or to a skill, with a note saying which.
    relevance       text not null check (relevance in ('plan', 'skill')),
    relevance_note  text not null default '',
    status          text not null check (status in ('proposed', 'active', 'cancelled')),
    -- The manager's own count for a manual goal.
    manual_progress integer not null default 0 check (manual_progress >= 0),
    proposed_by     text not null references app_user (user_id),
    created_at      text not null,
    updated_at      text not null,
    updated_by      text not null references app_user (user_id),
    version         integer not null default 1,
    check (due_on >= starts_on),
    check (metric != 'stage_moves' or stage_id is not null)
);
create index goal_user_idx on goal (user_id, status, due_on);
create index goal_department_idx on goal (department_id, status, due_on);

-- What goals count: calls a manager logged, and deals entering a stage.
create index activity_user_idx on activity (user_id, kind, occurred_at);
create index deal_stage_entry_stage_idx on deal_stage_entry (stage_id, entered_at);

-- How often a manager reports: not at all, every working day, or once a week.
alter table app_user add column report_cadence text not null default 'none' check (report_cadence in ('none', 'daily', 'weekly'));
-- The day the cadence was set: reports before it are never "missed".
alter table app_user add column report_since text;

create table report (
    report_id       text primary key,
    user_id         text not null references app_user (user_id),
    department_id   text not null references department (department_id),
    -- The working day (daily) or the week's last working day (weekly) it reports on.
    period_day      text not null,
    done            text not null,
    plan            text not null,
    blockers        text not null default '',
    submitted_at    text not null,
    unique (user_id, period_day)
);
create index report_department_idx on report (department_id, period_day);
