-- SPDX-License-Identifier: MIT
-- Migration 9: the public catalogue (lbib catalogue).
--
-- The short description an expert approved for the library's website, with the day of the
-- approval. It is shown only while the expert is active and the website consent is in force;
-- erasure deletes it.
CREATE TABLE catalogue_entry (
  expert_id   INTEGER PRIMARY KEY REFERENCES expert (id) ON DELETE CASCADE,
  description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 600),
  approved_on TEXT NOT NULL CHECK (date(approved_on) IS approved_on),
  recorded_by TEXT NOT NULL
) STRICT;
