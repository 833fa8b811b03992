-- Revaluations of a layer can add up to nothing (+4.00 for 4, then -4.00 for the 2 left): each still changed what
-- the units taken after it carry, so whether a layer was revalued is kept apart from the amount.
ALTER TABLE cost_layers ADD COLUMN revalued boolean NOT NULL DEFAULT false;
UPDATE cost_layers SET revalued = true WHERE entry_no IN (SELECT inbound_entry_no FROM layer_revaluations);
