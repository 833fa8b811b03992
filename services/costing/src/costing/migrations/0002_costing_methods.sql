-- Replica of what costing needs of the item card, from catalog.items.v1 (newest revision wins).
CREATE TABLE items (
    item_no text PRIMARY KEY,
    revision integer NOT NULL,
    costing_method text NOT NULL,
    standard_cost numeric(20, 5) NOT NULL,
    indirect_cost_pct numeric(20, 5) NOT NULL,
    overhead_rate numeric(20, 5) NOT NULL
);

-- Running quantity and value on hand per item (sum of its value entries): the item's unit cost without a scan.
CREATE TABLE item_on_hand (
    item_no text PRIMARY KEY,
    quantity numeric(20, 5) NOT NULL,
    value numeric(20, 2) NOT NULL
);

-- Working state: which cost each outbound entry took from each inbound entry's layer, in order,
-- so that a later change of the layer's cost is forwarded to exactly those outbound entries.
CREATE TABLE cost_applications (
    seq bigserial PRIMARY KEY,
    inbound_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    outbound_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    cost_amount numeric(20, 2) NOT NULL
);
CREATE INDEX cost_applications_inbound ON cost_applications (inbound_entry_no, seq);

-- Working state: inbound entries that take their cost from an outbound entry (applies-from: transfer
-- receipts, reclassifications, returns), in order, with the cost they have taken so far.
CREATE TABLE cost_sources (
    seq bigserial PRIMARY KEY,
    inbound_entry_no bigint NOT NULL UNIQUE REFERENCES item_ledger_entries,
    outbound_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    cost_amount numeric(20, 2) NOT NULL
);
CREATE INDEX cost_sources_outbound ON cost_sources (outbound_entry_no, seq);

-- Average items: one row per item and average-cost period, with the running start so that a change
-- is carried forward period by period and stops where it no longer changes anything.
CREATE TABLE average_cost_periods (
    item_no text NOT NULL,
    period_start date NOT NULL,
    start_quantity numeric(20, 5) NOT NULL,
    start_value numeric(20, 2) NOT NULL,
    inbound_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    inbound_value numeric(20, 2) NOT NULL DEFAULT 0,
    outbound_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    outbound_value numeric(20, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (item_no, period_start)
);

-- Average items: each outbound entry, its place in its period and its cost so far (sum of its value entries).
CREATE TABLE average_outbounds (
    entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    item_no text NOT NULL,
    period_start date NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    quantity_before numeric(20, 5) NOT NULL,
    in_average boolean NOT NULL,
    cost_amount numeric(20, 2) NOT NULL
);
CREATE INDEX average_outbounds_period ON average_outbounds (item_no, period_start, entry_no);

-- Average items: inbound entries and the period whose average they are part of.
CREATE TABLE average_inbounds (
    entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    item_no text NOT NULL,
    period_start date NOT NULL,
    in_average boolean NOT NULL
);

INSERT INTO item_on_hand (item_no, quantity, value)
SELECT item_no, sum(valued_quantity), sum(cost_amount_actual) FROM value_entries GROUP BY item_no;
