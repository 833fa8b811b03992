-- Postings on or before closed_through take the first open date instead.
CREATE TABLE gl_setup (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    closed_through date
);
INSERT INTO gl_setup (closed_through) VALUES (NULL);

-- The last difference reported per inventory account, so that an event says only what changed.
CREATE TABLE reconciliation_reports (
    account_no text PRIMARY KEY,
    interim boolean NOT NULL,
    difference numeric(20, 2) NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now()
);
