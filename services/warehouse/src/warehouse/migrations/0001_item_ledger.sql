-- Replica of the item cards, fed by catalog.items.v1. Its rows are the per-item posting locks.
CREATE TABLE items (
    item_no text PRIMARY KEY,
    revision int NOT NULL,
    description text NOT NULL,
    type text NOT NULL,
    base_unit_of_measure text NOT NULL,
    costing_method text NOT NULL,
    inventory_posting_group text NOT NULL,
    gen_prod_posting_group text NOT NULL,
    prevent_negative_inventory text NOT NULL,
    blocked boolean NOT NULL,
    sales_blocked boolean NOT NULL,
    purchasing_blocked boolean NOT NULL
);

CREATE TABLE inventory_setup (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    prevent_negative_inventory boolean NOT NULL
);
INSERT INTO inventory_setup (prevent_negative_inventory) VALUES (true);

CREATE SEQUENCE item_ledger_entry_no;

-- Append-only: a correction is a new entry.
CREATE TABLE item_ledger_entries (
    entry_no bigint PRIMARY KEY,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL DEFAULT '',
    location_code text NOT NULL,
    posting_date date NOT NULL,
    entry_type text NOT NULL,
    document_no text NOT NULL,
    document_line_no int NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity <> 0),
    unit_cost numeric(20, 5),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX item_ledger_entries_item ON item_ledger_entries (item_no, location_code, variant_code);

-- The working state of application: entries with quantity still to apply (negative for an
-- outbound entry waiting for stock). A row goes when its entry is fully applied.
CREATE TABLE open_item_ledger_entries (
    entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    item_no text NOT NULL,
    variant_code text NOT NULL,
    location_code text NOT NULL,
    posting_date date NOT NULL,
    remaining_quantity numeric(20, 5) NOT NULL CHECK (remaining_quantity <> 0)
);
CREATE INDEX open_item_ledger_entries_item ON open_item_ledger_entries (item_no, location_code, variant_code);

CREATE TABLE item_applications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inbound_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    outbound_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    posting_date date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX item_applications_inbound ON item_applications (inbound_entry_no);
CREATE INDEX item_applications_outbound ON item_applications (outbound_entry_no);
