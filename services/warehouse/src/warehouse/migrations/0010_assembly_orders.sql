-- Assembly orders: a parent item assembled from the components and resources of its assembly BOM.
-- Quantities of the order and of item lines are in the base unit; resource lines in the resource's unit.
CREATE SEQUENCE assembly_order_no;

CREATE TABLE assembly_orders (
    no text PRIMARY KEY,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL DEFAULT '',
    location_code text NOT NULL DEFAULT '',
    bin_code text NOT NULL DEFAULT '',
    unit_of_measure_code text NOT NULL DEFAULT '',
    qty_per_unit_of_measure numeric(20, 5) NOT NULL DEFAULT 1,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    remaining_quantity numeric(20, 5) NOT NULL,
    due_date date NOT NULL,
    starting_date date NOT NULL,
    assemble_to_order_sales_no text NOT NULL DEFAULT '',
    assemble_to_order_sales_line_no int NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Posted')),
    responsibility_center text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now(),
    CHECK (0 <= remaining_quantity AND remaining_quantity <= quantity)
);
CREATE INDEX assembly_orders_open_item ON assembly_orders (item_no, location_code) WHERE status = 'Open';
-- A sales line is assembled to order by one assembly order.
CREATE UNIQUE INDEX assembly_orders_sales_line ON assembly_orders (assemble_to_order_sales_no, assemble_to_order_sales_line_no)
    WHERE assemble_to_order_sales_no <> '';

CREATE TABLE assembly_order_lines (
    order_no text NOT NULL REFERENCES assembly_orders,
    line_no int NOT NULL,
    type text NOT NULL CHECK (type IN ('Item', 'Resource', 'Text')),
    no text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    variant_code text NOT NULL DEFAULT '',
    location_code text NOT NULL DEFAULT '',
    bin_code text NOT NULL DEFAULT '',
    unit_of_measure_code text NOT NULL DEFAULT '',
    quantity_per numeric(20, 5) NOT NULL DEFAULT 0,
    quantity numeric(20, 5) NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    remaining_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    due_date date,
    resource_usage_type text,
    direct_unit_cost numeric(20, 5),
    unit_cost numeric(20, 5),
    PRIMARY KEY (order_no, line_no),
    CHECK (0 <= remaining_quantity AND remaining_quantity <= quantity)
);
CREATE INDEX assembly_order_lines_item ON assembly_order_lines (no, location_code) WHERE type = 'Item';
