-- Transfer orders: stock between locations through an in-transit location (or directly).
CREATE TABLE transfer_orders (
    no text PRIMARY KEY,
    transfer_from_code text NOT NULL REFERENCES locations,
    transfer_to_code text NOT NULL REFERENCES locations,
    in_transit_code text REFERENCES locations,
    direct_transfer boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (transfer_from_code <> transfer_to_code),
    CHECK (direct_transfer OR in_transit_code IS NOT NULL)
);

-- Quantities in the base unit. quantity_shipped falls again when a shipment is undone.
CREATE TABLE transfer_order_lines (
    order_no text NOT NULL REFERENCES transfer_orders,
    line_no int NOT NULL,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL DEFAULT '',
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    quantity_shipped numeric(20, 5) NOT NULL DEFAULT 0,
    quantity_received numeric(20, 5) NOT NULL DEFAULT 0,
    PRIMARY KEY (order_no, line_no),
    CHECK (0 <= quantity_received AND quantity_received <= quantity_shipped AND quantity_shipped <= quantity)
);

-- What each shipment put in transit, with its tracking fixed: the receipt takes exactly these entries.
CREATE TABLE transfer_shipment_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_no text NOT NULL,
    line_no int NOT NULL,
    shipment_no text NOT NULL,
    posting_date date NOT NULL,
    origin_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    in_transit_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    received_quantity numeric(20, 5) NOT NULL DEFAULT 0,
    undone boolean NOT NULL DEFAULT false,
    serial_no text NOT NULL DEFAULT '',
    lot_no text NOT NULL DEFAULT '',
    FOREIGN KEY (order_no, line_no) REFERENCES transfer_order_lines,
    CHECK (0 <= received_quantity AND received_quantity <= quantity)
);
CREATE INDEX transfer_shipment_lines_order ON transfer_shipment_lines (order_no, line_no);
CREATE UNIQUE INDEX transfer_shipment_no ON transfer_shipment_lines (shipment_no, id);
