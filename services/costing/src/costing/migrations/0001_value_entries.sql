-- What costing knows of each item ledger entry, from warehouse.item-entries.v1.
CREATE TABLE item_ledger_entries (
    entry_no bigint PRIMARY KEY,
    item_no text NOT NULL,
    variant_code text NOT NULL,
    location_code text NOT NULL,
    posting_date date NOT NULL,
    entry_type text NOT NULL,
    document_no text NOT NULL,
    quantity numeric(20, 5) NOT NULL,
    costing_method text NOT NULL,
    inventory_posting_group text NOT NULL,
    gen_prod_posting_group text NOT NULL,
    gen_bus_posting_group text NOT NULL
);

-- Working state: the cost source of each inbound entry and how much of it outbound entries took.
CREATE TABLE cost_layers (
    entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    item_no text NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    cost_amount numeric(20, 2) NOT NULL,
    applied_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    applied_cost numeric(20, 2) NOT NULL DEFAULT 0,
    CHECK (applied_quantity <= quantity)
);
CREATE INDEX cost_layers_item ON cost_layers (item_no);

-- Working state: outbound entries valued provisionally because no stock covered them yet.
CREATE TABLE provisional_outbound_costs (
    entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    provisional_quantity numeric(20, 5) NOT NULL CHECK (provisional_quantity > 0),
    provisional_cost numeric(20, 2) NOT NULL,
    covered_quantity numeric(20, 5) NOT NULL DEFAULT 0
);

CREATE SEQUENCE value_entry_no;

-- Append-only: the cost of an item ledger entry is the sum of its value entries.
CREATE TABLE value_entries (
    entry_no bigint PRIMARY KEY,
    item_no text NOT NULL,
    item_ledger_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    item_ledger_entry_type text NOT NULL,
    entry_type text NOT NULL,
    posting_date date NOT NULL,
    valuation_date date NOT NULL,
    location_code text NOT NULL,
    variant_code text NOT NULL,
    document_no text NOT NULL,
    valued_quantity numeric(20, 5) NOT NULL,
    invoiced_quantity numeric(20, 5) NOT NULL,
    cost_per_unit numeric(20, 5) NOT NULL,
    cost_amount_actual numeric(20, 2) NOT NULL,
    cost_amount_expected numeric(20, 2) NOT NULL DEFAULT 0,
    adjustment boolean NOT NULL DEFAULT false,
    applies_to_entry bigint,
    inventory_posting_group text NOT NULL,
    gen_prod_posting_group text NOT NULL,
    gen_bus_posting_group text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX value_entries_item ON value_entries (item_no, posting_date);
CREATE INDEX value_entries_item_ledger_entry ON value_entries (item_ledger_entry_no);
