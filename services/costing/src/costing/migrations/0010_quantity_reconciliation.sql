-- The last quantity difference published per item and location (none: they agreed).
CREATE TABLE reported_quantity_differences (
    item_no text NOT NULL,
    location_code text NOT NULL,
    difference numeric(20, 5) NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_no, location_code)
);
