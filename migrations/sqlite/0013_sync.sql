-- Offline sync (docs/sync-protocol.md).

-- Every mutation a client pushed, by its client-made id, with the first answer it got.
-- A write stores its receipt in its own transaction, so a mutation is applied once
-- however often a flaky network makes the client send it.
create table sync_mutation (
    mutation_id     text primary key,
    user_id         text not null references app_user (user_id),
    kind            text not null,
    -- The first answer, as JSON: what a repeat of the same id is told again.
    result          text not null,
    at              text not null
) without rowid;

-- What changed, in order: a pull reads the rows after its cursor. `owner_id` is who may
-- see the row besides the department's head; a row handed to someone else is logged
-- for the old owner too, who then pulls a tombstone for it.
create table change_log (
    seq             integer primary key autoincrement,
    entity          text not null check (entity in ('deal', 'client', 'goal', 'report')),
    entity_id       text not null,
    department_id   text not null,
    owner_id        text not null
);
create index change_log_owner_idx on change_log (owner_id, seq);
create index change_log_department_idx on change_log (department_id, seq);

-- Deals: every change bumps the version; a new owner and the old one both hear of it.
create trigger deal_sync_insert after insert on deal begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('deal', new.deal_id, new.department_id, new.owner_id);
end;
create trigger deal_sync_update after update of version, deleted_at on deal begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('deal', new.deal_id, new.department_id, new.owner_id);
end;
create trigger deal_sync_owner after update of owner_id on deal when old.owner_id <> new.owner_id begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('deal', new.deal_id, new.department_id, old.owner_id);
    insert into change_log (entity, entity_id, department_id, owner_id) values ('deal', new.deal_id, new.department_id, new.owner_id);
end;

create trigger client_sync_insert after insert on client begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('client', new.client_id, new.department_id, new.owner_id);
end;
create trigger client_sync_update after update of version, deleted_at on client begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('client', new.client_id, new.department_id, new.owner_id);
end;
create trigger client_sync_owner after update of owner_id on client when old.owner_id <> new.owner_id begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('client', new.client_id, new.department_id, old.owner_id);
    insert into change_log (entity, entity_id, department_id, owner_id) values ('client', new.client_id, new.department_id, new.owner_id);
end;

create trigger goal_sync_insert after insert on goal begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('goal', new.goal_id, new.department_id, new.user_id);
end;
create trigger goal_sync_update after update on goal begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('goal', new.goal_id, new.department_id, new.user_id);
end;

create trigger report_sync_insert after insert on report begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('report', new.report_id, new.department_id, new.user_id);
end;
create trigger report_sync_update after update on report begin
    insert into change_log (entity, entity_id, department_id, owner_id) values ('report', new.report_id, new.department_id, new.user_id);
end;

-- What existed before sync: a first pull (cursor 0) starts from everything.
insert into change_log (entity, entity_id, department_id, owner_id)
    select 'client', client_id, department_id, owner_id from client where deleted_at is null order by updated_at;
insert into change_log (entity, entity_id, department_id, owner_id)
    select 'deal', deal_id, department_id, owner_id from deal where deleted_at is null order by updated_at;
insert into change_log (entity, entity_id, department_id, owner_id)
    select 'goal', goal_id, department_id, user_id from goal order by updated_at;
insert into change_log (entity, entity_id, department_id, owner_id)
    select 'report', report_id, department_id, user_id from report order by submitted_at;
