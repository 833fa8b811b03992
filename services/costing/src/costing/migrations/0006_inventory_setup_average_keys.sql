-- Replica of the warehouse's inventory setup (warehouse.inventory-setup.v1); one row, the newest revision wins.
-- No row: every date open, average cost per item and day.
CREATE TABLE inventory_setup (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision integer NOT NULL,
    allow_posting_from date,
    allow_posting_to date,
    closed_through date,
    average_cost_period text NOT NULL,
    average_cost_calc_type text NOT NULL
);

-- Average cost per item (blank location and variant) or per item, location and variant.
ALTER TABLE average_cost_periods
    ADD COLUMN location_code text NOT NULL DEFAULT '',
    ADD COLUMN variant_code text NOT NULL DEFAULT '',
    ADD COLUMN given_back_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN given_back_value numeric(20, 2) NOT NULL DEFAULT 0,
    DROP CONSTRAINT average_cost_periods_pkey,
    ADD PRIMARY KEY (item_no, location_code, variant_code, period_start);

ALTER TABLE average_outbounds
    ADD COLUMN location_code text NOT NULL DEFAULT '',
    ADD COLUMN variant_code text NOT NULL DEFAULT '';
DROP INDEX average_outbounds_period;
CREATE INDEX average_outbounds_period ON average_outbounds (item_no, location_code, variant_code, period_start, entry_no);

-- How an inbound entry counts in its period: in the average, or giving back what a transfer of the period took.
ALTER TABLE average_inbounds
    ADD COLUMN location_code text NOT NULL DEFAULT '',
    ADD COLUMN variant_code text NOT NULL DEFAULT '',
    ADD COLUMN gives_back boolean NOT NULL DEFAULT false;
