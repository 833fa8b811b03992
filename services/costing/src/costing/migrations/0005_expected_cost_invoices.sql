-- Receipts and shipments are valued at expected cost until invoiced. NULL: invoiced as the entry posted.
ALTER TABLE item_ledger_entries ADD COLUMN invoiced_quantity numeric(20, 5);
-- The sales amount a sales invoice brought, on the value entry that turned the shipment's cost actual.
ALTER TABLE value_entries ADD COLUMN sales_amount_actual numeric(20, 2) NOT NULL DEFAULT 0;
