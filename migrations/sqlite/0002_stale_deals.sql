-- The head decides after how many quiet days a deal counts as stale.
alter table department add column stale_after_days integer not null default 14
    check (stale_after_days between 1 and 365);
