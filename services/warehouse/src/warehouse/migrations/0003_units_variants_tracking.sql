-- What the item replica keeps of units of measure, variants and the item tracking code's rules.
ALTER TABLE items
    ADD COLUMN units_of_measure jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN variants jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN item_tracking jsonb;

-- Item tracking, the unit a line was entered in, cost application and corrections on the item ledger.
ALTER TABLE item_ledger_entries
    ADD COLUMN serial_no text NOT NULL DEFAULT '',
    ADD COLUMN lot_no text NOT NULL DEFAULT '',
    ADD COLUMN expiration_date date,
    ADD COLUMN applies_from_entry bigint REFERENCES item_ledger_entries,
    ADD COLUMN unit_of_measure_code text NOT NULL DEFAULT '',
    ADD COLUMN qty_per_unit_of_measure numeric(20, 5) NOT NULL DEFAULT 1,
    ADD COLUMN document_type text NOT NULL DEFAULT '',
    ADD COLUMN correction boolean NOT NULL DEFAULT false;
CREATE INDEX item_ledger_entries_serial ON item_ledger_entries (serial_no) WHERE serial_no <> '';
CREATE INDEX item_ledger_entries_lot ON item_ledger_entries (lot_no) WHERE lot_no <> '';
CREATE INDEX item_ledger_entries_applies_from ON item_ledger_entries (applies_from_entry) WHERE applies_from_entry IS NOT NULL;

ALTER TABLE open_item_ledger_entries
    ADD COLUMN serial_no text NOT NULL DEFAULT '',
    ADD COLUMN lot_no text NOT NULL DEFAULT '',
    ADD COLUMN expiration_date date;
-- A serial number is in stock at most once per item. The domain refuses it first with a clear problem;
-- this index is the backstop against a bug or a race that slipped past it.
CREATE UNIQUE INDEX open_item_ledger_entries_serial_in_stock ON open_item_ledger_entries (item_no, serial_no)
    WHERE serial_no <> '' AND remaining_quantity > 0;
