-- The deal list narrowed to one month of expected closing: a month with few deals must
-- not walk the department's open deals in due-date order to find them.
create index deal_close_idx on deal (department_id, expected_close_on) where deleted_at is null and outcome = 'open';
create index deal_owner_close_idx on deal (owner_id, expected_close_on) where deleted_at is null and outcome = 'open';
