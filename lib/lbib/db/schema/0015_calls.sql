-- SPDX-License-Identifier: MIT
-- Migration 15: people without e-mail, reached by telephone (issue #14).

-- An expert may have no e-mail when a telephone number reaches them (lbib checks that one of
-- the two is given). Removing a NOT NULL constraint does not change how rows are stored, so the
-- table's definition is edited in place (SQLite's documented procedure for this kind of change;
-- lbib bumps the schema cookie after migrating).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = replace(sql, 'email             TEXT NOT NULL CHECK', 'email             TEXT CHECK')
  WHERE type = 'table' AND name = 'expert';
PRAGMA writable_schema = OFF;

-- How a dispatch reached its experts: a mailed message, or a telephone call recorded by the
-- contact person (one dispatch per expert called; its message_id is 'call:REQUEST:EXPERT').
ALTER TABLE dispatch ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail' CHECK (channel IN ('mail', 'phone'));

-- An expert the library may write to: as before, and with an e-mail address.
DROP VIEW mailable_expert;
CREATE VIEW mailable_expert AS
  SELECT e.id, e.email FROM expert e
  WHERE e.erased_on IS NULL AND e.status <> 'left' AND e.email IS NOT NULL AND EXISTS (
    SELECT 1 FROM consent c
    WHERE c.expert_id = e.id AND c.purpose = 'mailing' AND c.withdrawn_on IS NULL);

