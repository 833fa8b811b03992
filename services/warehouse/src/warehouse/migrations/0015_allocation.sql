-- Allocations of short stock: each run made (not previews) with the policy, what was available, and per demand
-- what it wanted and what it was given. The reservations written are in reservation_entries.
CREATE TABLE allocation_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_no text NOT NULL REFERENCES items,
    variant_code text NOT NULL,
    location_code text NOT NULL,
    policy text NOT NULL CHECK (policy IN ('Basic', 'By Priority', 'Equally')),
    available numeric(20, 5) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE allocation_run_lines (
    run_id bigint NOT NULL REFERENCES allocation_runs,
    line_no int NOT NULL,
    source_type text NOT NULL,
    source_id text NOT NULL,
    source_line_no int NOT NULL,
    due_date date,
    priority int NOT NULL,
    wanted numeric(20, 5) NOT NULL CHECK (wanted > 0),
    allocated numeric(20, 5) NOT NULL CHECK (allocated >= 0 AND allocated <= wanted),
    PRIMARY KEY (run_id, line_no)
);
