-- When anything last happened on a deal (an activity, or its creation). Kept by Pacer
-- on every write so that "stale deals" is one indexed scan instead of a lookup of the
-- latest activity for every open deal.
alter table deal add column touched_at text;
update deal set touched_at = coalesce(
    (select max(a.occurred_at) from activity a where a.deal_id = deal.deal_id), created_at);
create index deal_touched_idx on deal (department_id, touched_at);

