-- The order an item ledger entry was posted from (Business Central's Order Type / Order No. / Order Line No.).
ALTER TABLE item_ledger_entries
    ADD COLUMN order_type text NOT NULL DEFAULT '',
    ADD COLUMN order_no text NOT NULL DEFAULT '',
    ADD COLUMN order_line_no int NOT NULL DEFAULT 0;
CREATE INDEX item_ledger_entries_order ON item_ledger_entries (order_no) WHERE order_no <> '';

CREATE SEQUENCE assembly_posting_no;

-- One posting of (part of) an assembly order: the posted assembly order. `undone` when its undo posted.
CREATE TABLE assembly_postings (
    posting_no text PRIMARY KEY,
    order_no text NOT NULL REFERENCES assembly_orders,
    document_no text NOT NULL,
    posting_date date NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    output_entry_nos bigint[] NOT NULL,
    consumption_entry_nos bigint[] NOT NULL,
    undone boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assembly_postings_order ON assembly_postings (order_no);

-- What a posting consumed of each order line (items in the base unit, resources in their unit): an undo gives it back.
CREATE TABLE assembly_posting_lines (
    posting_no text NOT NULL REFERENCES assembly_postings,
    line_no int NOT NULL,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    direct_unit_cost numeric(20, 5),
    unit_cost numeric(20, 5),
    PRIMARY KEY (posting_no, line_no)
);
