-- SPDX-License-Identifier: MIT
-- Migration 4: outreach activities (the final report's "Rekryteringsprocess och
-- marknadsföring"), so recruitment can be read beside what was done to bring it about.
CREATE TABLE outreach (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  on_date  TEXT NOT NULL CHECK (date(on_date) IS on_date),
  kind     TEXT NOT NULL CHECK (kind IN ('presentation', 'event', 'mailing', 'social-media', 'podcast', 'other')),
  audience TEXT CHECK (length(audience) <= 200),
  note     TEXT CHECK (length(note) <= 2000)
) STRICT;

CREATE INDEX outreach_date ON outreach (on_date);
