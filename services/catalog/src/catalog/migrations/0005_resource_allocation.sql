-- Allocating resources: skills, service zones, service item groups, customers, service orders and the allocations.
CREATE TABLE skill_codes (
    code text PRIMARY KEY,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE service_zones (
    code text PRIMARY KEY,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE service_item_groups (
    code text PRIMARY KEY,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE customers (
    no text PRIMARY KEY,
    name text NOT NULL,
    service_zone_code text NOT NULL DEFAULT ''
);

-- The skills a resource has, and those an item or a service item group requires.
CREATE TABLE resource_skills (
    type text NOT NULL CHECK (type IN ('Resource', 'Item', 'Service Item Group')),
    no text NOT NULL,
    skill_code text NOT NULL REFERENCES skill_codes (code),
    PRIMARY KEY (type, no, skill_code)
);

CREATE TABLE service_orders (
    no text PRIMARY KEY,
    customer_no text NOT NULL REFERENCES customers (no),
    order_date date NOT NULL
);

CREATE TABLE service_order_lines (
    document_no text NOT NULL REFERENCES service_orders (no),
    line_no int NOT NULL CHECK (line_no > 0),
    item_no text NOT NULL DEFAULT '',
    service_item_group_code text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    needed_date date NOT NULL,
    hours_needed numeric(20, 5) NOT NULL CHECK (hours_needed > 0),
    PRIMARY KEY (document_no, line_no)
);

-- Hours of a resource on a day, for a service order line or an assembly order line (kept in the warehouse: only
-- its number, line and parent item are recorded here). A cancelled allocation stays, with its status.
CREATE TABLE resource_allocations (
    entry_no bigserial PRIMARY KEY,
    source_type text NOT NULL CHECK (source_type IN ('Service Order', 'Assembly')),
    source_no text NOT NULL,
    source_line_no int NOT NULL,
    parent_item_no text NOT NULL DEFAULT '',
    resource_no text NOT NULL REFERENCES resources (no),
    allocation_date date NOT NULL,
    hours numeric(20, 5) NOT NULL CHECK (hours > 0),
    status text NOT NULL CHECK (status IN ('Active', 'Canceled'))
);
CREATE INDEX resource_allocations_active_by_day ON resource_allocations (resource_no, allocation_date) WHERE status = 'Active';
CREATE INDEX resource_allocations_by_source ON resource_allocations (source_type, source_no, source_line_no);
