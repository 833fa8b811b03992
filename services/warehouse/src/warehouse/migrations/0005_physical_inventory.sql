-- Physical inventory orders: count a location, post the differences as adjustments.
CREATE TABLE phys_invt_orders (
    no text PRIMARY KEY,
    location_code text NOT NULL,
    posting_date date NOT NULL,
    item_nos text[] NOT NULL DEFAULT '{}',
    bin_code text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Finished', 'Posted')),
    lines_calculated boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- Quantities in the base unit. recorded_quantity stays NULL until a recording (or finishing) sets it.
CREATE TABLE phys_invt_order_lines (
    order_no text NOT NULL REFERENCES phys_invt_orders,
    line_no int NOT NULL,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL DEFAULT '',
    bin_code text NOT NULL DEFAULT '',
    lot_no text NOT NULL DEFAULT '',
    serial_no text NOT NULL DEFAULT '',
    expected_quantity numeric(20, 5) NOT NULL,
    recorded_quantity numeric(20, 5) CHECK (recorded_quantity >= 0),
    recording_no text,
    expiration_date date,
    calculated boolean NOT NULL DEFAULT true,
    PRIMARY KEY (order_no, line_no),
    UNIQUE (order_no, item_no, variant_code, bin_code, lot_no, serial_no)
);

CREATE TABLE phys_invt_recordings (
    order_no text NOT NULL REFERENCES phys_invt_orders,
    recording_no text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_no, recording_no)
);

CREATE SEQUENCE phys_invt_ledger_entry_no;

-- Append-only: one entry per counted line of a posted order.
CREATE TABLE phys_invt_ledger_entries (
    entry_no bigint PRIMARY KEY,
    order_no text NOT NULL REFERENCES phys_invt_orders,
    order_line_no int NOT NULL,
    recording_no text,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL,
    location_code text NOT NULL,
    bin_code text NOT NULL,
    lot_no text NOT NULL,
    serial_no text NOT NULL,
    posting_date date NOT NULL,
    expected_quantity numeric(20, 5) NOT NULL,
    recorded_quantity numeric(20, 5) NOT NULL,
    difference numeric(20, 5) NOT NULL CHECK (difference = recorded_quantity - expected_quantity),
    entry_type text,
    item_ledger_entry_no bigint REFERENCES item_ledger_entries,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (order_no, order_line_no),
    CHECK ((difference = 0) = (item_ledger_entry_no IS NULL))
);
CREATE INDEX phys_invt_ledger_entries_item ON phys_invt_ledger_entries (item_no, entry_no);

-- A bug that updated or deleted a count would rewrite history the adjustments were posted from: refuse it.
CREATE FUNCTION phys_invt_ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'phys_invt_ledger_entries is append-only';
END;
$$;
CREATE TRIGGER phys_invt_ledger_entries_append_only BEFORE UPDATE OR DELETE ON phys_invt_ledger_entries
    FOR EACH ROW EXECUTE FUNCTION phys_invt_ledger_entries_append_only();
