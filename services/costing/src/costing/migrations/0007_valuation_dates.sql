-- Average items: an entry is valued at the later of its posting date and the valuation date of what it
-- applies to (an outbound entry) or from (a transfer's receiving side, a return); NULL: its posting date.
ALTER TABLE item_ledger_entries ADD COLUMN valuation_date date;

-- Average items: a period that ends with nothing on hand ends with no value; what the roundings of its
-- averages (or a revaluation of stock that a later-posted entry took) leave is a Rounding value entry.
ALTER TABLE average_cost_periods ADD COLUMN rounding_value numeric(20, 2) NOT NULL DEFAULT 0;
