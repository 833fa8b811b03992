-- The resource card: the people and machines whose hours are allocated to service orders and assembly orders.
CREATE TABLE resources (
    no text PRIMARY KEY,
    name text NOT NULL,
    type text NOT NULL CHECK (type IN ('Person', 'Machine')),
    base_unit_of_measure text NOT NULL,
    direct_unit_cost numeric(20, 5) NOT NULL DEFAULT 0 CHECK (direct_unit_cost >= 0),
    indirect_cost_pct numeric NOT NULL DEFAULT 0 CHECK (indirect_cost_pct >= 0),
    -- Derived: direct_unit_cost * (1 + indirect_cost_pct / 100), rounded to 0.00001; kept so readers need not compute it.
    unit_cost numeric(20, 5) NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
    unit_price numeric(20, 5) NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
    -- Hours the resource can work on each day.
    capacity_per_day numeric(20, 5) NOT NULL DEFAULT 0 CHECK (capacity_per_day >= 0),
    service_zone_code text NOT NULL DEFAULT '',
    blocked boolean NOT NULL DEFAULT false
);
