-- What the head's dashboard reads at department scale (100 000 deals, 300 000 payments)
-- without joining or summing every row on every view. SQLite triggers keep each copy
-- exact on every write path (server functions, the demo, imports, sync): no caller can
-- forget one. The domain functions stay the definition; tests compare the two.

-- A deal's outcome, copied from its stage: stale and overdue look only at deals that can
-- still be stale or owe money, through partial indexes (which cannot join the stage).
alter table deal add column outcome text not null default 'open';
-- The sums of a deal's live expected and received payments: a deal can owe money only
-- while expected_total > received_total.
alter table deal add column expected_total integer not null default 0;
alter table deal add column received_total integer not null default 0;
update deal set
    outcome = (select s.outcome from stage s where s.stage_id = deal.stage_id),
    expected_total = coalesce((select sum(amount) from expected_payment e
                               where e.deal_id = deal.deal_id and e.deleted_at is null), 0),
    received_total = coalesce((select sum(amount) from received_payment r
                               where r.deal_id = deal.deal_id and r.deleted_at is null), 0);

create trigger deal_outcome_on_insert after insert on deal begin
    update deal set outcome = (select outcome from stage where stage_id = new.stage_id)
    where deal_id = new.deal_id;
end;
create trigger deal_outcome_on_move after update of stage_id on deal begin
    update deal set outcome = (select outcome from stage where stage_id = new.stage_id)
    where deal_id = new.deal_id;
end;

-- Open and closed deals per owner, stage and month of the expected close ('' when none):
-- count and amount. The pipeline, the forecast and the board's column totals read this.
create table deal_rollup (
    department_id   text not null,
    owner_id        text not null,
    stage_id        text not null,
    close_month     text not null,
    deals           integer not null,
    amount          integer not null,
    primary key (department_id, owner_id, stage_id, close_month)
) without rowid;
insert into deal_rollup
    select department_id, owner_id, stage_id, coalesce(substr(expected_close_on, 1, 7), ''), count(*), sum(amount)
    from deal where deleted_at is null group by 1, 2, 3, 4;

create trigger deal_rollup_on_insert after insert on deal when new.deleted_at is null begin
    insert into deal_rollup values (new.department_id, new.owner_id, new.stage_id,
        coalesce(substr(new.expected_close_on, 1, 7), ''), 1, new.amount)
    on conflict do update set deals = deal_rollup.deals + 1, amount = deal_rollup.amount + excluded.amount;
end;
create trigger deal_rollup_on_update
after update of department_id, owner_id, stage_id, amount, expected_close_on, deleted_at on deal begin
    update deal_rollup set deals = deal_rollup.deals - 1, amount = deal_rollup.amount - old.amount
    where old.deleted_at is null and department_id = old.department_id and owner_id = old.owner_id
      and stage_id = old.stage_id and close_month = coalesce(substr(old.expected_close_on, 1, 7), '');
    insert into deal_rollup select new.department_id, new.owner_id, new.stage_id,
        coalesce(substr(new.expected_close_on, 1, 7), ''), 1, new.amount where new.deleted_at is null
    on conflict do update set deals = deal_rollup.deals + 1, amount = deal_rollup.amount + excluded.amount;
end;
create trigger deal_rollup_on_delete after delete on deal when old.deleted_at is null begin
    update deal_rollup set deals = deal_rollup.deals - 1, amount = deal_rollup.amount - old.amount
    where department_id = old.department_id and owner_id = old.owner_id
      and stage_id = old.stage_id and close_month = coalesce(substr(old.expected_close_on, 1, 7), '');
end;

-- Money received per owner and month ('YYYY-MM'): the month's fact and the chart. A
-- payment counts for whoever owns its deal now (it moves with the deal when the head
-- reassigns it) and stops counting when its deal is deleted.
create table received_rollup (
    department_id   text not null,
    month           text not null,
    owner_id        text not null,
    amount          integer not null,
    primary key (department_id, month, owner_id)
) without rowid;
insert into received_rollup
    select d.department_id, substr(r.received_on, 1, 7), d.owner_id, sum(r.amount)
    from received_payment r join deal d on d.deal_id = r.deal_id
    where r.deleted_at is null and d.deleted_at is null group by 1, 2, 3;

create trigger received_payment_added after insert on received_payment when new.deleted_at is null begin
    update deal set received_total = received_total + new.amount where deal_id = new.deal_id;
    insert into received_rollup
        select department_id, substr(new.received_on, 1, 7), owner_id, new.amount from deal
        where deal_id = new.deal_id and deleted_at is null
    on conflict do update set amount = received_rollup.amount + excluded.amount;
end;
create trigger received_payment_changed after update of amount, received_on, deleted_at on received_payment begin
    update deal set received_total = received_total
        - (case when old.deleted_at is null then old.amount else 0 end)
        + (case when new.deleted_at is null then new.amount else 0 end)
    where deal_id = new.deal_id;
    update received_rollup set amount = received_rollup.amount - old.amount
    where old.deleted_at is null and month = substr(old.received_on, 1, 7)
      and (department_id, owner_id) = (select department_id, owner_id from deal
                                       where deal_id = old.deal_id and deleted_at is null);
    insert into received_rollup
        select department_id, substr(new.received_on, 1, 7), owner_id, new.amount from deal
        where deal_id = new.deal_id and deleted_at is null and new.deleted_at is null
    on conflict do update set amount = received_rollup.amount + excluded.amount;
end;
create trigger received_follows_deal after update of department_id, owner_id, deleted_at on deal
when old.owner_id is not new.owner_id or old.department_id is not new.department_id
  or old.deleted_at is not new.deleted_at begin
    update received_rollup set amount = received_rollup.amount - moved.amount
    from (select substr(received_on, 1, 7) as month, sum(amount) as amount from received_payment
          where deal_id = new.deal_id and deleted_at is null group by 1) as moved
    where old.deleted_at is null and received_rollup.department_id = old.department_id
      and received_rollup.owner_id = old.owner_id and received_rollup.month = moved.month;
    insert into received_rollup
        select new.department_id, substr(received_on, 1, 7), new.owner_id, sum(amount) from received_payment
        where deal_id = new.deal_id and deleted_at is null and new.deleted_at is null group by 2
    on conflict do update set amount = received_rollup.amount + excluded.amount;
end;

create trigger expected_payment_added after insert on expected_payment when new.deleted_at is null begin
    update deal set expected_total = expected_total + new.amount where deal_id = new.deal_id;
end;
create trigger expected_payment_changed after update of amount, deleted_at on expected_payment begin
    update deal set expected_total = expected_total
        - (case when old.deleted_at is null then old.amount else 0 end)
        + (case when new.deleted_at is null then new.amount else 0 end)
    where deal_id = new.deal_id;
end;

-- Won this month: a short range of closing dates.
create index deal_closed_idx on deal (department_id, closed_on, owner_id) where deleted_at is null and outcome = 'won';
-- Stale: open deals by their last touch.
create index deal_stale_idx on deal (department_id, owner_id, touched_at) where deleted_at is null and outcome = 'open';
-- Overdue: deals that may owe money, then their expected payments due before today.
create index deal_unpaid_idx on deal (department_id, owner_id)
    where deleted_at is null and outcome != 'lost' and expected_total > received_total;
create index expected_payment_due_idx on expected_payment (deal_id, due_on, amount) where deleted_at is null;
