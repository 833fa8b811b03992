-- Bins on transfer orders: the from-bin a shipment took from, so that its undo puts the stock back there.
ALTER TABLE transfer_shipment_lines ADD COLUMN bin_code text NOT NULL DEFAULT '';
