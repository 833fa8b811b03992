-- Open sales and purchase orders, registered by the sales and purchasing systems that own them, so that
-- availability sees their outstanding lines and shipments and receipts can name the line they fulfil.
CREATE TABLE sales_orders (
    no text PRIMARY KEY,
    sell_to_customer_no text NOT NULL DEFAULT '',
    order_date date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- quantity is in the line's unit; the *_base columns in the item's base unit. quantity_shipped_base rises with
-- each shipment that names the line and falls when such a shipment is undone.
CREATE TABLE sales_order_lines (
    order_no text NOT NULL REFERENCES sales_orders ON DELETE CASCADE,
    line_no int NOT NULL,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL DEFAULT '',
    location_code text NOT NULL DEFAULT '',
    unit_of_measure_code text NOT NULL DEFAULT '',
    qty_per_unit_of_measure numeric(20, 5) NOT NULL CHECK (qty_per_unit_of_measure > 0),
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    quantity_base numeric(20, 5) NOT NULL CHECK (quantity_base > 0),
    quantity_shipped_base numeric(20, 5) NOT NULL DEFAULT 0,
    shipment_date date NOT NULL,
    PRIMARY KEY (order_no, line_no),
    CHECK (0 <= quantity_shipped_base AND quantity_shipped_base <= quantity_base)
);
CREATE INDEX sales_order_lines_item ON sales_order_lines (item_no, shipment_date);

CREATE TABLE purchase_orders (
    no text PRIMARY KEY,
    buy_from_vendor_no text NOT NULL DEFAULT '',
    order_date date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE purchase_order_lines (
    order_no text NOT NULL REFERENCES purchase_orders ON DELETE CASCADE,
    line_no int NOT NULL,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL DEFAULT '',
    location_code text NOT NULL DEFAULT '',
    unit_of_measure_code text NOT NULL DEFAULT '',
    qty_per_unit_of_measure numeric(20, 5) NOT NULL CHECK (qty_per_unit_of_measure > 0),
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    quantity_base numeric(20, 5) NOT NULL CHECK (quantity_base > 0),
    quantity_received_base numeric(20, 5) NOT NULL DEFAULT 0,
    expected_receipt_date date NOT NULL,
    PRIMARY KEY (order_no, line_no),
    CHECK (0 <= quantity_received_base AND quantity_received_base <= quantity_base)
);
CREATE INDEX purchase_order_lines_item ON purchase_order_lines (item_no, expected_receipt_date);

-- Which order line each shipment or receipt entry fulfilled, so that undoing the entry gives the line its
-- outstanding quantity back.
CREATE TABLE order_line_postings (
    item_ledger_entry_no bigint PRIMARY KEY REFERENCES item_ledger_entries,
    order_type text NOT NULL CHECK (order_type IN ('Sales Order', 'Purchase Order')),
    order_no text NOT NULL,
    order_line_no int NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0)
);
