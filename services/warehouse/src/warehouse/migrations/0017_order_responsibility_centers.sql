-- Sales and purchase orders belong to a responsibility center, as every other document does.
ALTER TABLE sales_orders ADD COLUMN responsibility_center text NOT NULL DEFAULT '';
ALTER TABLE purchase_orders ADD COLUMN responsibility_center text NOT NULL DEFAULT '';
