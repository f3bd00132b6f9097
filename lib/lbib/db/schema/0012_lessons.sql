-- SPDX-License-Identifier: MIT
-- Migration 12: the final report's lessons (issue #16): each expert's wishes and availability,
-- borrowers' sector and municipality, the library's decisions and the inquiries turned away.

-- What an expert wants to be asked about: in person, digitally or either; at most so many
-- requests a month, quarter or year; not before a date (a pause that ends by itself).
CREATE TABLE expert_wish (
  expert_id    INTEGER PRIMARY KEY REFERENCES expert (id) ON DELETE CASCADE,
  setting      TEXT NOT NULL DEFAULT 'any' CHECK (setting IN ('any', 'digital', 'in-person')),
  max_requests INTEGER CHECK (max_requests BETWEEN 1 AND 1000),
  per_period   TEXT CHECK (per_period IN ('month', 'quarter', 'year')),
  paused_until TEXT CHECK (date(paused_until) IS paused_until),
  CHECK ((max_requests IS NULL) = (per_period IS NULL))
) STRICT;

-- The forms (taxonomy.forms) an expert wants or does not want, and the areas (taxonomy.areas)
-- they would rather not be asked about.
CREATE TABLE expert_wish_item (
  expert_id INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('form-wanted', 'form-unwanted', 'area-avoided')),
  key       TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
  PRIMARY KEY (expert_id, kind, key)
) STRICT;
