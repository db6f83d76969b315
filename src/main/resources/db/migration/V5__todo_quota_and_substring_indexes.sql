-- Per-user todo quota. The database keeps each user's count itself (statement-level triggers, so every path that
-- adds or removes todos, the cascade of a deleted user included, keeps it exact). The insert statement locks the
-- user's row and checks the count under that lock, so concurrent inserts cannot overshoot the quota.
ALTER TABLE users ADD COLUMN todo_count integer NOT NULL DEFAULT 0 CHECK (todo_count >= 0);

UPDATE users u SET todo_count = counted.n
FROM (SELECT user_id, count(*) AS n FROM todos GROUP BY user_id) AS counted
WHERE counted.user_id = u.id;

CREATE FUNCTION todos_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users u SET todo_count = u.todo_count + added.n
    FROM (SELECT user_id, count(*) AS n FROM added_rows GROUP BY user_id) AS added
    WHERE u.id = added.user_id;
    RETURN NULL;
END
$$;

CREATE FUNCTION todos_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A deleted user's row is already gone when its todos cascade: nothing to update then.
    UPDATE users u SET todo_count = u.todo_count - removed.n
    FROM (SELECT user_id, count(*) AS n FROM removed_rows GROUP BY user_id) AS removed
    WHERE u.id = removed.user_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER todos_count_insert AFTER INSERT ON todos
    REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_count_added();
CREATE TRIGGER todos_count_delete AFTER DELETE ON todos
    REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION todos_count_removed();

-- Substring filters (title, description: LIKE '%...%', case-sensitive) stay index-served at the quota's size.
-- pg_trgm is a trusted extension since PostgreSQL 13: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX todos_title_trgm_idx ON todos USING gin (title gin_trgm_ops);
CREATE INDEX todos_description_trgm_idx ON todos USING gin (description gin_trgm_ops);
