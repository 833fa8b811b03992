-- Average items: an outbound entry costs its share of what the entries before it in its period left; its
-- place is its entry no., so the quantity taken before it is no longer kept. A period whose entries all took
-- the average without rounding keeps their costs under any start at the same average (unknown for the
-- periods costed before: false).
ALTER TABLE average_outbounds DROP COLUMN quantity_before;
ALTER TABLE average_cost_periods ADD COLUMN unrounded boolean NOT NULL DEFAULT false;

-- Average items: what each inbound entry brought into its period, its own cost without the Rounding and
-- Revaluation entries of its period: what a return gives back at its place in the period.
ALTER TABLE average_inbounds ADD COLUMN quantity numeric(20, 5), ADD COLUMN cost_amount numeric(20, 2);
UPDATE average_inbounds i SET
    quantity = e.quantity,
    cost_amount = (SELECT coalesce(sum(v.cost_amount_actual + v.cost_amount_expected), 0) FROM value_entries v
                   WHERE v.item_ledger_entry_no = i.entry_no AND v.entry_type NOT IN ('Rounding', 'Revaluation'))
FROM item_ledger_entries e WHERE e.entry_no = i.entry_no;
ALTER TABLE average_inbounds ALTER COLUMN quantity SET NOT NULL, ALTER COLUMN cost_amount SET NOT NULL;
