-- The inventory setup every service must agree on, published whole on warehouse.inventory-setup.v1 with
-- a revision that increases with every change.
ALTER TABLE inventory_setup
    ADD COLUMN average_cost_period text NOT NULL DEFAULT 'Day'
        CHECK (average_cost_period IN ('Day', 'Week', 'Month', 'Quarter', 'Year')),
    ADD COLUMN average_cost_calc_type text NOT NULL DEFAULT 'Item'
        CHECK (average_cost_calc_type IN ('Item', 'Item & Location & Variant')),
    ADD COLUMN revision integer NOT NULL DEFAULT 0;
