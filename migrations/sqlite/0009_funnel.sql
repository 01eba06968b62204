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

-- The funnel of the deals created in a window: one range of this index.
create index deal_funnel_idx on deal (department_id, created_at, owner_id, furthest_position, outcome)
    where deleted_at is null;
