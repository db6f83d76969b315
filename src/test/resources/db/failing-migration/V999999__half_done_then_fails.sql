-- MigrationRollbackTest: a migration that changes the schema and the data, then fails half-way. On PostgreSQL Flyway
-- runs it in one transaction, so none of it may remain. Its version comes after every real migration's.
ALTER TABLE todos ADD COLUMN priority integer NOT NULL DEFAULT 0;
CREATE INDEX todos_priority_idx ON todos (priority);
UPDATE todos SET title = upper(title), priority = 1;
DELETE FROM users WHERE username = 'bob';
ALTER TABLE users DROP CONSTRAINT users_email_lower_case;
CREATE TABLE audit (id bigint PRIMARY KEY);
-- Fails: the new NOT NULL column has no value for the rows that exist.
ALTER TABLE todos ADD COLUMN owner_note text NOT NULL;
