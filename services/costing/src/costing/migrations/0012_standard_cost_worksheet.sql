-- Standard cost worksheets: a new standard cost proposed per item, implemented at a date (revaluation and new
-- standard cost). An implemented line keeps its implementation no. and date until it is written again.
CREATE TABLE standard_cost_worksheet_lines (
    worksheet_name text NOT NULL,
    item_no text NOT NULL,
    standard_cost numeric(20, 5) NOT NULL,
    new_standard_cost numeric(20, 5) NOT NULL CHECK (new_standard_cost >= 0),
    implementation_no bigint UNIQUE,
    posting_date date,
    PRIMARY KEY (worksheet_name, item_no),
    CHECK ((implementation_no IS NULL) = (posting_date IS NULL))
);

CREATE SEQUENCE standard_cost_implementation_nos;

-- The last implementation the replica's standard cost comes from: a card catalog wrote before it took that
-- implementation must not bring the old standard cost back.
ALTER TABLE items ADD COLUMN standard_cost_implementation_no bigint NOT NULL DEFAULT 0;
