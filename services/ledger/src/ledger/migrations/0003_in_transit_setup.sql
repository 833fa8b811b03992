-- The warehouse seeds an in-transit location: stock shipped on a transfer order sits there, and
-- its value belongs on the same inventory accounts as at the other locations.
INSERT INTO inventory_posting_setups (location_code, inventory_posting_group, inventory_account, inventory_account_interim)
VALUES ('IN-TRANSIT', 'RESALE', '2130', '2131'), ('IN-TRANSIT', 'RAW', '2120', '2121')
ON CONFLICT DO NOTHING;
