-- Reservations of incoming supply (a purchase order line, the inbound side of a transfer order line, an assembly
-- order's output) for a demand line. The supply is named, not referenced: its tables belong to other documents.
-- When the supply is received, the received part moves onto the new item ledger entry (a reservation_entries row
-- that names the supply reservation it came from) and remaining_quantity falls.
CREATE TABLE supply_reservations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_type text NOT NULL,
    source_id text NOT NULL,
    source_line_no int NOT NULL,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL,
    location_code text NOT NULL,
    supply_type text NOT NULL CHECK (supply_type IN ('Purchase Order', 'Transfer Order', 'Assembly Order')),
    supply_id text NOT NULL,
    supply_line_no int NOT NULL,
    expected_date date,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    remaining_quantity numeric(20, 5) NOT NULL CHECK (remaining_quantity >= 0 AND remaining_quantity <= quantity),
    status text NOT NULL CHECK (status IN ('Reserved', 'Cancelled', 'Received')),
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supply_reservations_supply ON supply_reservations (supply_type, supply_id, supply_line_no)
    WHERE status = 'Reserved';
CREATE INDEX supply_reservations_source ON supply_reservations (source_type, source_id, source_line_no);
CREATE INDEX supply_reservations_item ON supply_reservations (item_no, location_code, variant_code)
    WHERE status = 'Reserved';

ALTER TABLE reservation_entries ADD COLUMN supply_reservation_id bigint REFERENCES supply_reservations;
