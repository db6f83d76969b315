-- Idempotency-Key on POST /todos/: the first successful answer to a key, stored in the transaction that created the
-- todo, so a retry (a client's, or the proxy's after a lost response) gets the same answer and never a second row.
-- The primary key decides between concurrent duplicates. Keys expire after 24 hours; every keyed request deletes a
-- few expired ones, so the table holds about one day's keys.
CREATE TABLE idempotency_keys (
    user_id         bigint       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key varchar(255) NOT NULL,
    -- SHA-256 of the request's fields: the same key with another request is refused.
    request_hash    bytea        NOT NULL,
    status          smallint,
    response        text,
    created_at      timestamptz  NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);

CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
