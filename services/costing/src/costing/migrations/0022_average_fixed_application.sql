-- The inbound entry an outbound entry is fixed-applied to (a purchase return, a negative adjustment with
-- an applies-to entry, the undo of a receipt).
ALTER TABLE item_ledger_entries ADD COLUMN applies_to_entry bigint;

-- Average items: outbound entries fixed-applied to an inbound entry take their share of its cost, outside
-- their period's average; the period keeps what they took out of what its other outbound entries share.
ALTER TABLE average_cost_periods
    ADD COLUMN fixed_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN fixed_value numeric(20, 2) NOT NULL DEFAULT 0;
CREATE TABLE average_fixed_outbounds (
    entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    item_no text NOT NULL,
    location_code text NOT NULL,
    variant_code text NOT NULL,
    period_start date NOT NULL,
    applies_to_entry bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    cost_amount numeric(20, 2) NOT NULL
);
CREATE INDEX average_fixed_outbounds_inbound ON average_fixed_outbounds (applies_to_entry, entry_no);
