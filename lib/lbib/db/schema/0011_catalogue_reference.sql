-- SPDX-License-Identifier: MIT
-- Migration 10: a stable public reference for each catalogue card.
--
-- A card was named by its place on the page ("Erfaren 3"), so one more description renumbered
-- the others. Each catalogue entry now carries a reference drawn at random when the
-- description is first recorded: six characters that say nothing about the person (not the
-- id, not a date, not an order), kept while the description is edited and deleted with it.
ALTER TABLE catalogue_entry ADD COLUMN reference TEXT
  CHECK (reference IS NULL OR (length(reference) = 6 AND reference NOT GLOB '*[^0-9A-F]*'));

-- Entries recorded before this migration get theirs now (in random order, like new ones).
UPDATE catalogue_entry SET reference = upper(hex(randomblob(3)));

CREATE UNIQUE INDEX catalogue_entry_reference ON catalogue_entry (reference);
