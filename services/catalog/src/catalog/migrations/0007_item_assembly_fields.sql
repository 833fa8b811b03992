-- The card's assembly and reservation policies, its lot size, the shares of its standard cost from the
-- last cost roll-up, and the unit cost costing announces on costing.item-costs.v1 (with its sequence, so that
-- an older announcement never overwrites a newer one).
ALTER TABLE items
    ADD COLUMN assembly_policy text NOT NULL DEFAULT 'Assemble-to-Stock',
    ADD COLUMN reserve text NOT NULL DEFAULT 'Optional',
    ADD COLUMN lot_size numeric(20, 5) NOT NULL DEFAULT 0 CHECK (lot_size >= 0),
    ADD COLUMN single_level_material_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN single_level_capacity_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN single_level_cap_ovhd_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN single_level_mfg_ovhd_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN unit_cost numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN unit_cost_sequence bigint NOT NULL DEFAULT 0;
