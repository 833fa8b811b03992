-- Responsibility centers: an administrative unit (a profit or cost center, a sales office, a branch) that owns
-- locations and the documents posted from them. A location's responsibility_center ('' for none) names one.
CREATE TABLE responsibility_centers (
    code text PRIMARY KEY CHECK (code <> ''),
    name text NOT NULL,
    address text NOT NULL DEFAULT '',
    city text NOT NULL DEFAULT '',
    post_code text NOT NULL DEFAULT '',
    country_region_code text NOT NULL DEFAULT '',
    contact text NOT NULL DEFAULT '',
    phone_no text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- Locations made before centers existed may name one that has no card: give it one, so the reference holds.
INSERT INTO responsibility_centers (code, name)
SELECT DISTINCT responsibility_center, responsibility_center FROM locations WHERE responsibility_center <> ''
ON CONFLICT DO NOTHING;

-- Every entry and document records the center it was posted for ('' for none): given, or its location's.
ALTER TABLE item_ledger_entries ADD COLUMN responsibility_center text NOT NULL DEFAULT '';
CREATE INDEX item_ledger_entries_responsibility_center ON item_ledger_entries (responsibility_center, entry_no)
    WHERE responsibility_center <> '';
ALTER TABLE transfer_orders ADD COLUMN responsibility_center text NOT NULL DEFAULT '';
ALTER TABLE phys_invt_orders ADD COLUMN responsibility_center text NOT NULL DEFAULT '';
CREATE INDEX locations_responsibility_center ON locations (responsibility_center) WHERE responsibility_center <> '';
