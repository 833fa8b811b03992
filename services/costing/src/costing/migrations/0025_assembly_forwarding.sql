-- What an assembly output's overhead was computed from: a material cost forwarded later changes the indirect cost
-- (a % of the output's cost) with it.
CREATE TABLE assembly_outputs (
    entry_no bigint PRIMARY KEY,
    quantity numeric(20, 5) NOT NULL,
    indirect_cost_pct numeric(20, 5) NOT NULL,
    overhead_rate numeric(20, 5) NOT NULL,
    capacity_cost numeric(20, 2) NOT NULL,
    material_cost numeric(20, 2) NOT NULL,
    overhead_amount numeric(20, 2) NOT NULL
);
