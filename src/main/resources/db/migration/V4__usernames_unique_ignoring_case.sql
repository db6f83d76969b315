-- "Alice" and "alice" are the same username; the case a user chose is kept. Usernames are ASCII letters, digits and
-- "_.-", so lower() means the same under every collation.
--
-- Existing accounts whose usernames differ only in case stop the migration with a message naming them: which account
-- keeps the name is a decision for the operator (rename the others, then start the service again), not for a
-- migration to make silently.
DO $$
DECLARE
    clashes text;
BEGIN
    SELECT string_agg(format('%s (ids %s)', names, ids), '; ')
    INTO clashes
    FROM (SELECT string_agg(username, ', ' ORDER BY id) AS names, string_agg(id::text, ', ' ORDER BY id) AS ids
          FROM users
          GROUP BY lower(username)
          HAVING count(*) > 1
          ORDER BY min(id)
          LIMIT 20) AS clash;
    IF clashes IS NOT NULL THEN
        RAISE EXCEPTION 'Usernames must become unique regardless of case, but these differ only in case: %', clashes
            USING HINT = 'Rename all but one of each group, e.g. UPDATE users SET username = ''alice2'' WHERE id = 42;'
                      || ' then start the service (or run "todo-service migrate") again.';
    END IF;
END
$$;

CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
ALTER TABLE users DROP CONSTRAINT users_username_key;
