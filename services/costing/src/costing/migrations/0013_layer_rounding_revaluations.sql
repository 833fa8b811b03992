-- Each outbound entry's share of a layer is rounded on its own; a completely applied (and invoiced) layer posts the
-- residue as a Rounding value entry on its inbound entry. A revaluation revalues the quantity a layer still held at
-- its date; only what takes from that quantity carries it.
ALTER TABLE cost_layers
    ADD COLUMN revalued_amount numeric(20, 2) NOT NULL DEFAULT 0,
    ADD COLUMN rounding_amount numeric(20, 2) NOT NULL DEFAULT 0;
COMMENT ON COLUMN cost_layers.cost_amount IS 'The inbound entry''s cost with its revaluations, without rounding entries.';

CREATE TABLE layer_revaluations (
    seq bigserial PRIMARY KEY,
    inbound_entry_no bigint NOT NULL REFERENCES cost_layers,
    revaluation_date date NOT NULL,
    amount numeric(20, 2) NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    last_application_seq bigint NOT NULL
);
COMMENT ON COLUMN layer_revaluations.last_application_seq IS
    'The cost applications up to this one existed when the revaluation was posted: those dated on or before it keep the old cost.';
CREATE INDEX layer_revaluations_inbound ON layer_revaluations (inbound_entry_no, seq);
