-- Item charges and revaluations on value entries; revaluations kept apart in the average-cost period.
ALTER TABLE value_entries ADD COLUMN item_charge_no text;
ALTER TABLE average_cost_periods ADD COLUMN revaluation_value numeric(20, 2) NOT NULL DEFAULT 0;

-- Each item charge assignment line and the value entries it wrote (what the API answers with).
CREATE TABLE item_charge_assignments (
    seq bigserial PRIMARY KEY,
    item_charge_no text NOT NULL,
    document_no text NOT NULL,
    posting_date date NOT NULL,
    item_ledger_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    amount numeric(20, 2) NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX item_charge_assignments_entry ON item_charge_assignments (item_ledger_entry_no);

-- The unit cost last published on costing.item-costs.v1, so that only a change is published.
CREATE TABLE item_unit_costs (
    item_no text PRIMARY KEY,
    unit_cost numeric(20, 5) NOT NULL,
    sequence bigint NOT NULL
);

-- Per item: whether its costs are adjusted, when they were last, and the last error.
CREATE TABLE item_cost_status (
    item_no text PRIMARY KEY,
    cost_is_adjusted boolean NOT NULL,
    last_adjusted_at timestamptz,
    last_error text,
    last_error_at timestamptz
);

CREATE INDEX cost_applications_outbound ON cost_applications (outbound_entry_no);
