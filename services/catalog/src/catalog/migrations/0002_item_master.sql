-- The full item master: units, variants, tracking codes, categories, attributes, catalog items, references.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE units_of_measure (
    code text PRIMARY KEY,
    description text NOT NULL DEFAULT ''
);
INSERT INTO units_of_measure (code) SELECT DISTINCT base_unit_of_measure FROM items ON CONFLICT DO NOTHING;

CREATE TABLE item_tracking_codes (
    code text PRIMARY KEY,
    description text NOT NULL DEFAULT '',
    serial_specific boolean NOT NULL DEFAULT false,
    lot_specific boolean NOT NULL DEFAULT false,
    serial_required_for text[] NOT NULL DEFAULT '{}',
    lot_required_for text[] NOT NULL DEFAULT '{}',
    use_expiration_dates boolean NOT NULL DEFAULT false,
    strict_expiration boolean NOT NULL DEFAULT false
);

CREATE TABLE item_categories (
    code text PRIMARY KEY,
    parent_code text REFERENCES item_categories (code),
    description text NOT NULL DEFAULT '',
    CHECK (parent_code IS NULL OR parent_code <> code)
);
CREATE INDEX item_categories_parent ON item_categories (parent_code);

CREATE TABLE item_attributes (
    name text PRIMARY KEY,
    type text NOT NULL,
    unit_of_measure text NOT NULL DEFAULT '',
    blocked boolean NOT NULL DEFAULT false
);

CREATE TABLE item_attribute_options (
    attribute_name text NOT NULL REFERENCES item_attributes (name) ON DELETE CASCADE,
    value text NOT NULL,
    position int NOT NULL,
    PRIMARY KEY (attribute_name, value)
);

CREATE TABLE item_category_attributes (
    category_code text NOT NULL REFERENCES item_categories (code) ON DELETE CASCADE,
    attribute_name text NOT NULL REFERENCES item_attributes (name),
    default_value text NOT NULL DEFAULT '',
    PRIMARY KEY (category_code, attribute_name)
);

ALTER TABLE items
    ADD COLUMN blocked_reason text NOT NULL DEFAULT '',
    ADD COLUMN sales_blocked_reason text NOT NULL DEFAULT '',
    ADD COLUMN purchasing_blocked_reason text NOT NULL DEFAULT '',
    ADD COLUMN indirect_cost_pct numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN overhead_rate numeric(20, 5) NOT NULL DEFAULT 0,
    ADD COLUMN item_category_code text REFERENCES item_categories (code),
    ADD COLUMN item_tracking_code text REFERENCES item_tracking_codes (code),
    -- Learned from warehouse.item-entries.v1: once true, the costing method is frozen and deletion refused.
    ADD COLUMN has_ledger_entries boolean NOT NULL DEFAULT false,
    ADD COLUMN nonstock_entry_no bigint,
    -- A deleted card stays as a tombstone so that its revision keeps increasing if the number is reused;
    -- replicas ignore revisions older than theirs.
    ADD COLUMN deleted boolean NOT NULL DEFAULT false;

CREATE TABLE item_units_of_measure (
    item_no text NOT NULL REFERENCES items (item_no) ON DELETE CASCADE,
    code text NOT NULL REFERENCES units_of_measure (code),
    qty_per_unit_of_measure numeric(20, 5) NOT NULL CHECK (qty_per_unit_of_measure > 0),
    PRIMARY KEY (item_no, code)
);
INSERT INTO item_units_of_measure (item_no, code, qty_per_unit_of_measure) SELECT item_no, base_unit_of_measure, 1 FROM items;

CREATE TABLE item_variants (
    item_no text NOT NULL REFERENCES items (item_no) ON DELETE CASCADE,
    code text NOT NULL,
    description text NOT NULL DEFAULT '',
    blocked boolean NOT NULL DEFAULT false,
    PRIMARY KEY (item_no, code)
);

CREATE TABLE item_attribute_values (
    item_no text NOT NULL REFERENCES items (item_no) ON DELETE CASCADE,
    attribute_name text NOT NULL REFERENCES item_attributes (name),
    value text NOT NULL,
    number_value numeric,
    date_value date,
    PRIMARY KEY (item_no, attribute_name)
);
CREATE INDEX item_attribute_values_text ON item_attribute_values (attribute_name, value, item_no);
CREATE INDEX item_attribute_values_number ON item_attribute_values (attribute_name, number_value, item_no)
    WHERE number_value IS NOT NULL;
CREATE INDEX item_attribute_values_date ON item_attribute_values (attribute_name, date_value, item_no)
    WHERE date_value IS NOT NULL;
CREATE INDEX item_attribute_values_trgm ON item_attribute_values USING gin (value gin_trgm_ops);

-- Search: text contains (trigram), filters, and keyset pagination for each sort order.
CREATE INDEX items_description_trgm ON items USING gin (description gin_trgm_ops);
CREATE INDEX items_item_no_trgm ON items USING gin (item_no gin_trgm_ops);
CREATE INDEX items_description_sort ON items (description, item_no);
CREATE INDEX items_unit_price_sort ON items (unit_price, item_no);
CREATE INDEX items_category ON items (item_category_code, item_no);

CREATE TABLE item_templates (
    code text PRIMARY KEY,
    description text NOT NULL DEFAULT '',
    type text NOT NULL DEFAULT 'Inventory',
    costing_method text NOT NULL DEFAULT 'FIFO',
    inventory_posting_group text NOT NULL,
    gen_prod_posting_group text NOT NULL,
    item_category_code text REFERENCES item_categories (code),
    item_tracking_code text REFERENCES item_tracking_codes (code),
    prevent_negative_inventory text NOT NULL DEFAULT 'Default'
);

CREATE TABLE nonstock_setup (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    no_format text NOT NULL DEFAULT 'Vendor Item No.',
    no_format_separator text NOT NULL DEFAULT '',
    no_series_prefix text NOT NULL DEFAULT 'NS',
    no_series_width int NOT NULL DEFAULT 5,
    no_series_next bigint NOT NULL DEFAULT 1
);
INSERT INTO nonstock_setup DEFAULT VALUES;

CREATE TABLE nonstock_items (
    entry_no bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vendor_no text NOT NULL,
    vendor_item_no text NOT NULL,
    manufacturer_code text NOT NULL DEFAULT '',
    description text NOT NULL,
    unit_of_measure text NOT NULL,
    published_cost numeric(20, 5) NOT NULL DEFAULT 0,
    negotiated_cost numeric(20, 5) NOT NULL DEFAULT 0,
    unit_price numeric(20, 5) NOT NULL DEFAULT 0,
    item_template_code text NOT NULL REFERENCES item_templates (code),
    item_no text,
    UNIQUE (vendor_no, vendor_item_no, manufacturer_code)
);

CREATE TABLE item_references (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_no text NOT NULL REFERENCES items (item_no) ON DELETE CASCADE,
    variant_code text NOT NULL DEFAULT '',
    unit_of_measure text NOT NULL DEFAULT '',
    reference_type text NOT NULL,
    reference_type_no text NOT NULL DEFAULT '',
    reference_no text NOT NULL,
    description text NOT NULL DEFAULT '',
    starting_date date,
    ending_date date,
    UNIQUE (reference_type, reference_type_no, reference_no),
    CHECK (starting_date IS NULL OR ending_date IS NULL OR starting_date <= ending_date)
);
CREATE INDEX item_references_reference_no ON item_references (reference_no);
CREATE INDEX item_references_item ON item_references (item_no);
