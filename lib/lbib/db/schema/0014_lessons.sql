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

-- A borrower's sector (taxonomy.sectors) and municipality (county.municipalities; empty for an
-- organisation of the whole county), so the effect goal "the municipalities and the region use
-- the library" can be counted.
ALTER TABLE borrower ADD COLUMN sector TEXT CHECK (length(sector) BETWEEN 1 AND 64);
ALTER TABLE borrower ADD COLUMN municipality TEXT CHECK (length(municipality) BETWEEN 1 AND 100);

-- The library's governance (the final report: no one took over ownership, and the decisions
-- that closed it were nowhere in the register): owner, mandate, reports to the steering group
-- and decisions, dated, in a short text about the library, never about an expert.
CREATE TABLE decision (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  on_date TEXT NOT NULL CHECK (date(on_date) IS on_date),
  kind    TEXT NOT NULL CHECK (kind IN ('owner', 'mandate', 'report', 'decision')),
  text    TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000)
) STRICT;

-- Inquiries the library turned away (would-be experts or borrowers), as counts with a reason:
-- no one is named.
CREATE TABLE inquiry (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  on_date TEXT NOT NULL CHECK (date(on_date) IS on_date),
  kind    TEXT NOT NULL CHECK (kind IN ('expert', 'borrower')),
  reason  TEXT NOT NULL CHECK (reason IN ('closing', 'capacity', 'outside-county')),
  count   INTEGER NOT NULL CHECK (count BETWEEN 1 AND 100000)
) STRICT;

-- The sector an outreach activity addressed (taxonomy.sectors), beside its audience.
ALTER TABLE outreach ADD COLUMN sector TEXT CHECK (length(sector) BETWEEN 1 AND 64);
