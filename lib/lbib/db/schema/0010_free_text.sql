-- SPDX-License-Identifier: MIT
-- Migration 10: data protection of free text and of the people who are not experts.

-- When an expert was paused, so that retention can end a pause that never ends.
ALTER TABLE expert ADD COLUMN paused_on TEXT CHECK (date(paused_on) IS paused_on);
UPDATE expert SET paused_on = date('now') WHERE status = 'paused';

-- A borrower's contact person can be erased; the organisation and its requests stay.
-- (Before this column, closing marked erased contacts by a placeholder address.)
ALTER TABLE borrower ADD COLUMN erased_on TEXT CHECK (date(erased_on) IS erased_on);
UPDATE borrower SET erased_on = date('now') WHERE contact_email = 'raderad@invalid';

-- An erased expert's stub keeps the year of the interview, not the day.
UPDATE expert SET interviewed_on = substr(interviewed_on, 1, 4) || '-01-01'
  WHERE erased_on IS NOT NULL;

-- The register's identity, random: the erasure ledger beside a register names it, so a new
-- register created at the same path never has the old one's erasures applied to it.
CREATE TABLE library_state_new (
  key   TEXT PRIMARY KEY CHECK (key IN ('closing_since', 'register_id')),
  value TEXT NOT NULL
) STRICT;
INSERT INTO library_state_new (key, value) SELECT key, value FROM library_state;
DROP TABLE library_state;
ALTER TABLE library_state_new RENAME TO library_state;
-- A register that already has a history takes its identity from its first audit entry, so a
-- backup of it made before this migration, migrated when restored, has the same identity and
-- gets the erasures made since. A new register gets a random one.
INSERT INTO library_state (key, value) VALUES ('register_id', coalesce(
  (SELECT 'legacy-' || id || '-' || replace(at, ' ', '') FROM audit ORDER BY id LIMIT 1),
  lower(hex(randomblob(16)))));

-- Retention deletes audit entries by age; one expert's export reads the requests that picked
-- them (both found missing by tests/bench/query_plans.py).
CREATE INDEX audit_at ON audit (at);
CREATE INDEX request_pick_expert ON request_pick (expert_id);
