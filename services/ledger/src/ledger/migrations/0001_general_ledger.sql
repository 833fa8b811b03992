CREATE TABLE gl_accounts (
    account_no text PRIMARY KEY,
    name text NOT NULL,
    income_balance text NOT NULL CHECK (income_balance IN ('income_statement', 'balance_sheet')),
    blocked boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A blank account is allowed: value entries that need it wait in pending_value_entries.
CREATE TABLE inventory_posting_setups (
    location_code text NOT NULL,
    inventory_posting_group text NOT NULL,
    inventory_account text NOT NULL DEFAULT '',
    inventory_account_interim text NOT NULL DEFAULT '',
    PRIMARY KEY (location_code, inventory_posting_group)
);

CREATE TABLE general_posting_setups (
    gen_bus_posting_group text NOT NULL,
    gen_prod_posting_group text NOT NULL,
    cogs_account text NOT NULL DEFAULT '',
    cogs_account_interim text NOT NULL DEFAULT '',
    inventory_adjmt_account text NOT NULL DEFAULT '',
    invt_accrual_account_interim text NOT NULL DEFAULT '',
    direct_cost_applied_account text NOT NULL DEFAULT '',
    overhead_applied_account text NOT NULL DEFAULT '',
    purchase_variance_account text NOT NULL DEFAULT '',
    PRIMARY KEY (gen_bus_posting_group, gen_prod_posting_group)
);

CREATE SEQUENCE gl_entry_no;
CREATE SEQUENCE gl_register_no;

-- One register per item and source event: the balanced entries written together.
CREATE TABLE gl_registers (
    register_no bigint PRIMARY KEY,
    item_no text,
    source_event_id uuid,
    from_entry_no bigint NOT NULL,
    to_entry_no bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gl_entries (
    entry_no bigint PRIMARY KEY,
    register_no bigint NOT NULL REFERENCES gl_registers,
    account_no text NOT NULL REFERENCES gl_accounts,
    posting_date date NOT NULL,
    document_no text NOT NULL,
    description text NOT NULL,
    amount numeric(20, 2) NOT NULL CHECK (amount <> 0),
    value_entry_no bigint,
    item_no text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX gl_entries_account ON gl_entries (account_no, posting_date);
CREATE INDEX gl_entries_value_entry ON gl_entries (value_entry_no);

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: post a correcting entry instead', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER gl_entries_append_only BEFORE UPDATE OR DELETE ON gl_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- Every value entry posted, with or without G/L entries, so that a value entry delivered again
-- in another event is never posted twice. register_no is null when its amounts were zero.
CREATE TABLE posted_value_entries (
    value_entry_no bigint PRIMARY KEY,
    register_no bigint REFERENCES gl_registers
);

-- Value entries waiting for posting setup, kept as received, posted in entry order once it exists.
CREATE TABLE pending_value_entries (
    value_entry_no bigint PRIMARY KEY,
    item_no text NOT NULL,
    payload jsonb NOT NULL,
    reason text NOT NULL,
    event_id uuid NOT NULL,
    correlation_id uuid,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_value_entries_item ON pending_value_entries (item_no, value_entry_no);

INSERT INTO gl_accounts (account_no, name, income_balance) VALUES
    ('2120', 'Inventory, Raw Materials', 'balance_sheet'),
    ('2121', 'Inventory (Interim), Raw Materials', 'balance_sheet'),
    ('2130', 'Inventory, Resale Items', 'balance_sheet'),
    ('2131', 'Inventory (Interim), Resale Items', 'balance_sheet'),
    ('5510', 'Inventory Accrual (Interim)', 'balance_sheet'),
    ('7180', 'Inventory Adjustment, Retail', 'income_statement'),
    ('7190', 'Direct Cost Applied, Retail', 'income_statement'),
    ('7191', 'Overhead Applied, Retail', 'income_statement'),
    ('7192', 'Purchase Variance, Retail', 'income_statement'),
    ('7290', 'Cost of Goods Sold, Retail', 'income_statement'),
    ('7291', 'COGS (Interim), Retail', 'income_statement'),
    ('7380', 'Inventory Adjustment, Raw Materials', 'income_statement'),
    ('7390', 'Direct Cost Applied, Raw Materials', 'income_statement'),
    ('7391', 'Overhead Applied, Raw Materials', 'income_statement'),
    ('7392', 'Purchase Variance, Raw Materials', 'income_statement'),
    ('7490', 'Cost of Goods Sold, Raw Materials', 'income_statement'),
    ('7491', 'COGS (Interim), Raw Materials', 'income_statement');

INSERT INTO inventory_posting_setups (location_code, inventory_posting_group, inventory_account, inventory_account_interim)
SELECT location_code, inventory_posting_group, inventory_account, inventory_account_interim
FROM (VALUES (''), ('MAIN'), ('EAST'), ('WEST')) AS locations (location_code)
CROSS JOIN (VALUES ('RESALE', '2130', '2131'), ('RAW', '2120', '2121'))
    AS groups (inventory_posting_group, inventory_account, inventory_account_interim);

INSERT INTO general_posting_setups VALUES
    ('', 'RETAIL', '7290', '7291', '7180', '5510', '7190', '7191', '7192'),
    ('', 'RAW', '7490', '7491', '7380', '5510', '7390', '7391', '7392');
