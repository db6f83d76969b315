-- Per-user tasks; a user's tasks go with the user.
CREATE TABLE todos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       varchar(200)  NOT NULL,
    description varchar(2000) NOT NULL,
    state       varchar(5)    NOT NULL,
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL,
    CONSTRAINT todos_state_check CHECK (state IN ('draft', 'todo', 'doing', 'done', 'trash'))
);

-- Every list is one user's rows in id order; this index serves the unfiltered list and the FK cascade.
CREATE INDEX todos_user_id_id_idx ON todos (user_id, id);
-- The state filter narrows within a user and keeps id order.
CREATE INDEX todos_user_id_state_id_idx ON todos (user_id, state, id);
