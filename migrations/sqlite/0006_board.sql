-- The pipeline board: each stage's biggest deals straight from an index, for the whole
-- department or one owner, and this month's won and lost deals by closing date.
create index deal_board_idx on deal (department_id, stage_id, amount desc) where deleted_at is null;
create index deal_owner_board_idx on deal (owner_id, stage_id, amount desc) where deleted_at is null;
create index deal_closed_on_idx on deal (department_id, closed_on, outcome, owner_id, amount) where deleted_at is null;
-- "My day" and the department's open deals: next steps in date order (none last), read
-- in index order so a list of 200 does not sort the department's open deals.
create index deal_due_idx on deal (department_id, coalesce(next_step_due_on, '9999-12-31'), amount desc)
    where deleted_at is null and outcome = 'open';
create index deal_owner_due_idx on deal (owner_id, coalesce(next_step_due_on, '9999-12-31'), amount desc)
    where deleted_at is null and outcome = 'open';
-- Stale deals are now counted from deal_stale_idx (open deals only).
drop index deal_touched_idx;
