-- An event its consumer dead-lettered was never applied: replayed from the dead-letter topic (so at another
-- place on its topic) it is applied then, while a redelivery at the same place stays a duplicate.
ALTER TABLE inbox ADD COLUMN dead_lettered boolean NOT NULL DEFAULT false;
