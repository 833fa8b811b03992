-- The item card's assembly policy, assembly BOM and reservation policy, as the catalog publishes them.
ALTER TABLE items
    ADD COLUMN assembly_policy text NOT NULL DEFAULT 'Assemble-to-Stock',
    ADD COLUMN reserve text NOT NULL DEFAULT 'Optional',
    ADD COLUMN assembly_bom jsonb NOT NULL DEFAULT '[]';
