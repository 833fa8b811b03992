-- Assembly BOMs: the lines of each parent item's BOM (component items, resources' usage, text).
CREATE TABLE assembly_bom_lines (
    parent_item_no text NOT NULL REFERENCES items (item_no) ON DELETE CASCADE,
    line_no int NOT NULL CHECK (line_no >= 1),
    type text NOT NULL CHECK (type IN ('Item', 'Resource', 'Text')),
    no text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    quantity_per numeric(20, 5) NOT NULL DEFAULT 0 CHECK (quantity_per >= 0),
    unit_of_measure_code text NOT NULL DEFAULT '',
    resource_usage_type text NOT NULL DEFAULT 'Direct' CHECK (resource_usage_type IN ('Direct', 'Fixed')),
    PRIMARY KEY (parent_item_no, line_no)
);
-- Where-used walks from a component to the BOMs that name it.
CREATE INDEX assembly_bom_lines_component ON assembly_bom_lines (no, parent_item_no) WHERE type = 'Item';
