-- Locations and bins. The blank location '' is not a row: it stays postable, as in Business Central.
CREATE TABLE locations (
    code text PRIMARY KEY CHECK (code <> ''),
    name text NOT NULL,
    use_as_in_transit boolean NOT NULL DEFAULT false,
    bin_mandatory boolean NOT NULL DEFAULT false,
    responsibility_center text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT (use_as_in_transit AND bin_mandatory))
);
INSERT INTO locations (code, name, use_as_in_transit) VALUES
    ('MAIN', 'Main warehouse', false),
    ('EAST', 'East warehouse', false),
    ('WEST', 'West warehouse', false),
    ('IN-TRANSIT', 'Stock on its way between locations', true);

CREATE TABLE bins (
    location_code text NOT NULL REFERENCES locations,
    code text NOT NULL CHECK (code <> ''),
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (location_code, code)
);

ALTER TABLE item_ledger_entries ADD COLUMN bin_code text NOT NULL DEFAULT '';
CREATE INDEX item_ledger_entries_bin ON item_ledger_entries (location_code, bin_code, item_no, variant_code)
    WHERE bin_code <> '';

-- Allowed posting dates: NULL means no limit on that side.
ALTER TABLE inventory_setup ADD COLUMN allow_posting_from date, ADD COLUMN allow_posting_to date;

-- An inventory period runs from the day after the previous period's ending date to its own.
CREATE TABLE inventory_periods (
    ending_date date PRIMARY KEY,
    name text NOT NULL DEFAULT '',
    closed boolean NOT NULL DEFAULT false,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- Reservations of on-hand stock: one row per (demand line, inbound item ledger entry reserved).
-- remaining_quantity falls as the demand posts; the row stays as the reservation's history.
CREATE TABLE reservation_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_type text NOT NULL,
    source_id text NOT NULL,
    source_line_no int NOT NULL,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL,
    location_code text NOT NULL,
    item_ledger_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    remaining_quantity numeric(20, 5) NOT NULL CHECK (remaining_quantity >= 0),
    status text NOT NULL CHECK (status IN ('Reserved', 'Cancelled', 'Consumed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservation_entries_open ON reservation_entries (item_no, location_code, variant_code)
    WHERE status = 'Reserved';
CREATE INDEX reservation_entries_source ON reservation_entries (source_type, source_id, source_line_no);
