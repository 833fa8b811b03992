CREATE TABLE subscriptions (
    id uuid PRIMARY KEY,
    url text NOT NULL,
    event_types text[] NOT NULL,
    item_no text,
    location_code text,
    secret text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text,
    description text NOT NULL DEFAULT '',
    failed_deliveries_in_row int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One event for one subscription. `body` is the exact bytes sent (and signed) at every attempt.
CREATE TABLE deliveries (
    id text PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    body text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts_in_round int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_of_subscription ON deliveries (subscription_id, created_at DESC, id DESC);

CREATE TABLE delivery_attempts (
    delivery_id text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt_no int NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code int,
    error text,
    duration_ms int NOT NULL,
    PRIMARY KEY (delivery_id, attempt_no)
);
