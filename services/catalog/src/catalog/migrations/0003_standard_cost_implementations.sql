-- The last standard cost implementation (costing.standard-cost-implemented) the card took, published with the card.
ALTER TABLE items ADD COLUMN standard_cost_implementation_no bigint NOT NULL DEFAULT 0;
