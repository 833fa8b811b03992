-- The warehouse's invoice lines costing has valued, by the warehouse's invoice entry no.: the same line published
-- again under a new event id is recognised and skipped, not invoiced twice.
CREATE TABLE invoice_lines (
    invoice_entry_no bigint PRIMARY KEY,
    item_ledger_entry_no bigint NOT NULL REFERENCES item_ledger_entries,
    quantity numeric(20, 5) NOT NULL
);
