-- An uploaded CSV file waiting for the head to confirm its column mapping. The text is
-- kept decoded (UTF-8) so the preview can be redrawn under any mapping; a batch is
-- imported at most once.
create table import_batch (
    import_id        text primary key,
    department_id    text not null references department (department_id),
    user_id          text not null references app_user (user_id),
    file_name        text not null,
    content          text not null,
    default_owner_id text not null references app_user (user_id),
    created_at       text not null,
    imported_at      text,
    clients          integer,
    deals            integer
);
create index import_batch_department_idx on import_batch (department_id, created_at);
