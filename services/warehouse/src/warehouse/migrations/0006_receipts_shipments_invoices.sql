-- Purchase receipts and sales shipments are valued at expected cost until invoiced; returns and undos name the
-- entry they apply to. invoiced_quantity NULL: the entry was invoiced as it posted (item journal, returns).
ALTER TABLE item_ledger_entries
    ADD COLUMN invoiced_quantity numeric(20, 5),
    ADD COLUMN applies_to_entry bigint REFERENCES item_ledger_entries,
    ADD COLUMN corrected boolean NOT NULL DEFAULT false;
CREATE INDEX item_ledger_entries_applies_to ON item_ledger_entries (applies_to_entry) WHERE applies_to_entry IS NOT NULL;

-- Invoice lines: which part of a receipt or shipment entry an invoice invoiced, at what cost or sales amount.
CREATE TABLE item_entry_invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_no text NOT NULL,
    document_line_no int NOT NULL,
    posting_date date NOT NULL,
    item_ledger_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL CHECK (quantity > 0),
    unit_cost numeric(20, 5),
    sales_amount numeric(20, 2),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX item_entry_invoices_entry ON item_entry_invoices (item_ledger_entry_no);
