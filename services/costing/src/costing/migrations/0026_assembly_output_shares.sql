-- A serial- or lot-tracked parent's posting has several output entries, each taking its share of the posting's cost
-- by quantity. An output keeps the quantities of all the posting's outputs and its position among them, and the
-- posting's material and resource cost its overhead share is computed from; what it took of a consumption is kept
-- with the consumption's whole cost, so that a later change is shared out the same way. Outputs valued before took
-- their posting's whole cost: they are the only output of their posting.
ALTER TABLE assembly_outputs
    ADD COLUMN output_quantities numeric(20, 5)[] NOT NULL DEFAULT '{}',
    ADD COLUMN output_index integer NOT NULL DEFAULT 0,
    ADD COLUMN posting_material_cost numeric(20, 2),
    ADD COLUMN posting_capacity_cost numeric(20, 2);
UPDATE assembly_outputs SET posting_material_cost = material_cost, posting_capacity_cost = capacity_cost;
ALTER TABLE assembly_outputs
    ALTER COLUMN posting_material_cost SET NOT NULL,
    ALTER COLUMN posting_capacity_cost SET NOT NULL;

ALTER TABLE assembly_inputs ADD COLUMN consumption_cost numeric(20, 2);
UPDATE assembly_inputs SET consumption_cost = cost_amount;
ALTER TABLE assembly_inputs ALTER COLUMN consumption_cost SET NOT NULL;
