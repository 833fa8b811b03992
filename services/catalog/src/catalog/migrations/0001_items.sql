CREATE TABLE items (
    item_no text PRIMARY KEY,
    revision int NOT NULL,
    description text NOT NULL,
    type text NOT NULL,
    base_unit_of_measure text NOT NULL,
    costing_method text NOT NULL,
    standard_cost numeric(20, 5) NOT NULL DEFAULT 0,
    unit_price numeric(20, 5) NOT NULL DEFAULT 0,
    inventory_posting_group text NOT NULL,
    gen_prod_posting_group text NOT NULL,
    prevent_negative_inventory text NOT NULL,
    blocked boolean NOT NULL DEFAULT false,
    sales_blocked boolean NOT NULL DEFAULT false,
    purchasing_blocked boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
