-- Outbox rows the broker refused for good (e.g. larger than its message limit), moved aside so that
-- the relay goes on with the rows after them. Kept whole for a person to look at.
CREATE TABLE outbox_failed (
    id bigint PRIMARY KEY,
    topic text NOT NULL,
    key text,
    value bytea NOT NULL,
    headers jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    error text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
