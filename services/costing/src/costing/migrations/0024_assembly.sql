-- The shares of a Standard item's standard cost (cost roll-up), so that an assembly output's variance is split
-- by type: material, capacity, capacity overhead, manufacturing overhead.
ALTER TABLE items
    ADD COLUMN single_level_material_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN single_level_capacity_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN single_level_cap_ovhd_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN single_level_mfg_ovhd_cost numeric(20, 5) NOT NULL DEFAULT 0;

-- Variance entries of an assembly output name their variance type; its resource cost names the resource, so the
-- ledger posts it to Direct Cost Applied and Overhead Applied rather than Inventory Adjmt.
ALTER TABLE value_entries
    ADD COLUMN variance_type text,
    ADD COLUMN resource_no text;

-- The assembly consumptions an output took its material cost from, with the cost it took: a later change of a
-- consumption's cost is forwarded to the output by the difference.
CREATE TABLE assembly_inputs (
    seq bigserial PRIMARY KEY,
    output_entry_no bigint NOT NULL,
    consumption_entry_no bigint NOT NULL,
    cost_amount numeric(20, 2) NOT NULL
);
CREATE INDEX assembly_inputs_consumption ON assembly_inputs (consumption_entry_no, seq);
