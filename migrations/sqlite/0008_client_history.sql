-- A client's history (calls, notes, stage moves and payments across its deals) newest
-- first, without reading every activity of every deal.
create index activity_client_idx on activity (client_id, occurred_at);
