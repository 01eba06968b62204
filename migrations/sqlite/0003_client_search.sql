-- What the client search box matches: the name, INN, contacts' names, phones (also as
-- bare digits) and emails, lower-cased by Pacer (SQLite's lower() and LIKE fold only
-- ASCII, not Cyrillic). Filled by Pacer on every write and, for older rows, at start.
alter table client add column search_text text;
create index client_search_idx on client (department_id, owner_id);
