-- Events waiting to be published, written in the same transaction as the change they announce.
CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic text NOT NULL,
    key text,
    value bytea NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Events already applied, recorded in the same transaction as their effects.
CREATE TABLE inbox (
    event_id text PRIMARY KEY,
    topic text NOT NULL,
    kafka_partition int NOT NULL,
    kafka_offset bigint NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Responses of POST requests, so that a retried request returns the first result.
CREATE TABLE idempotency_keys (
    idempotency_key text PRIMARY KEY,
    request_hash text NOT NULL,
    status_code int NOT NULL,
    response jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
