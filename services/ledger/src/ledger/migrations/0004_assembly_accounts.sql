-- An assembled item held at standard cost posts its variances, by type, to the variance accounts of its inventory
-- posting setup (the accounts Business Central keeps there for production and assembly).
ALTER TABLE inventory_posting_setups
    ADD COLUMN material_variance_account text NOT NULL DEFAULT '',
    ADD COLUMN capacity_variance_account text NOT NULL DEFAULT '',
    ADD COLUMN cap_overhead_variance_account text NOT NULL DEFAULT '',
    ADD COLUMN mfg_overhead_variance_account text NOT NULL DEFAULT '';

INSERT INTO gl_accounts (account_no, name, income_balance) VALUES
    ('7890', 'Material Variance', 'income_statement'),
    ('7891', 'Capacity Variance', 'income_statement'),
    ('7893', 'Capacity Overhead Variance', 'income_statement'),
    ('7894', 'Manufacturing Overhead Variance', 'income_statement')
ON CONFLICT (account_no) DO NOTHING;

UPDATE inventory_posting_setups SET material_variance_account = '7890', capacity_variance_account = '7891',
    cap_overhead_variance_account = '7893', mfg_overhead_variance_account = '7894';
