-- Conversion by stage: how far each deal got in the pipeline.
-- Every stage a deal entered, and when (the deal's stage history).
create table deal_stage_entry (
    deal_id     text not null references deal (deal_id),
    -- No reference: a stage removed later keeps its history rows, which the funnel ignores.
    stage_id    text not null,
    entered_at  text not null
);
create index deal_stage_entry_deal_idx on deal_stage_entry (deal_id, entered_at);
insert into deal_stage_entry select deal_id, stage_id, created_at from deal;

-- The furthest open stage a deal entered, by pipeline position (null: none). Kept by
-- the triggers below, recomputed from the history when the head reorders stages.
alter table deal add column furthest_position integer;
update deal set furthest_position =
    (select s.position from stage s where s.stage_id = deal.stage_id and s.outcome = 'open');

create trigger deal_stage_entry_on_insert after insert on deal begin
    insert into deal_stage_entry values (new.deal_id, new.stage_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    update deal set furthest_position =
        (select s.position from stage s where s.stage_id = new.stage_id and s.outcome = 'open')
    where deal_id = new.deal_id;
end;
create trigger deal_stage_entry_on_move after update of stage_id on deal
when old.stage_id is not new.stage_id begin
    insert into deal_stage_entry values (new.deal_id, new.stage_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    update deal set furthest_position = max(coalesce(old.furthest_position, -1),
        coalesce((select s.position from stage s where s.stage_id = new.stage_id and s.outcome = 'open'), -1))
    where deal_id = new.deal_id;
    update deal set furthest_position = null where deal_id = new.deal_id and furthest_position = -1;
end;

-- Live deals per owner, month created ('YYYY-MM', UTC), furthest open position and
-- whether won: the funnel of any window of months is a handful of rows. Every change is
-- "take the old row out, put the new one in", so the order in which the triggers on a
-- new deal run does not matter.
create table funnel_rollup (
    department_id   text not null,
    owner_id        text not null,
    month           text not null,
    furthest        integer not null,   -- -1: never in an open stage
    won             integer not null,
    deals           integer not null,
    primary key (department_id, month, owner_id, furthest, won)
) without rowid;
insert into funnel_rollup
    select department_id, owner_id, substr(created_at, 1, 7), coalesce(furthest_position, -1), outcome = 'won', count(*)
    from deal where deleted_at is null group by 1, 2, 3, 4, 5;

create trigger funnel_on_insert after insert on deal when new.deleted_at is null begin
    insert into funnel_rollup values (new.department_id, new.owner_id, substr(new.created_at, 1, 7),
        coalesce(new.furthest_position, -1), new.outcome = 'won', 1)
    on conflict do update set deals = funnel_rollup.deals + 1;
end;
create trigger funnel_on_update
after update of department_id, owner_id, furthest_position, outcome, deleted_at on deal begin
    update funnel_rollup set deals = funnel_rollup.deals - 1
    where old.deleted_at is null and department_id = old.department_id and owner_id = old.owner_id
      and month = substr(old.created_at, 1, 7) and furthest = coalesce(old.furthest_position, -1)
      and won = (old.outcome = 'won');
    insert into funnel_rollup select new.department_id, new.owner_id, substr(new.created_at, 1, 7),
        coalesce(new.furthest_position, -1), new.outcome = 'won', 1 where new.deleted_at is null
    on conflict do update set deals = funnel_rollup.deals + 1;
end;
