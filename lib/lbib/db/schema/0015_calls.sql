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


-- An invited expert's answer to a request (issue #15): interested ('yes') or declined ('no'),
-- the day it came and how (a mail reply, a telephone call, told by the borrower). No row: not
-- answered yet. It goes with its invitation (a dispatch undone takes its answers along).
CREATE TABLE answer (
  request_id  INTEGER NOT NULL,
  expert_id   INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  answer      TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
  answered_on TEXT NOT NULL CHECK (date(answered_on) IS answered_on),
  channel     TEXT NOT NULL CHECK (channel IN ('mail', 'phone', 'borrower')),
  PRIMARY KEY (request_id, expert_id),
  FOREIGN KEY (request_id, expert_id) REFERENCES invitation (request_id, expert_id)
    ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;
