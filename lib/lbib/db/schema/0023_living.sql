-- SPDX-License-Identifier: MIT
-- Migration 23: the shared rules of who is still a person in the register, and which consent
-- holds, written once as views (issue #17). The library's queries read these views, never the
-- bare conditions: `tests/unit/test_views.cpp` fails on a query in lib/ that writes one out.
-- SQLite flattens a simple view into the query that reads it, so the tables' indexes serve it
-- as before (`tests/bench/query_plans.py`).

-- A living expert: not erased to an anonymous stub. Whether they left the library is a
-- separate question, asked of `status`.
CREATE VIEW living_expert AS
  SELECT * FROM expert WHERE erased_on IS NULL;

-- A living borrower: its contact person not erased.
CREATE VIEW living_borrower AS
  SELECT * FROM borrower WHERE erased_on IS NULL;

-- A consent in force: given and not withdrawn (at most one per expert and purpose, by the
-- unique index consent_in_force).
CREATE VIEW active_consent AS
  SELECT * FROM consent WHERE withdrawn_on IS NULL;

-- An expert the library may write to, now over the rules above: living, still in the library
-- (active or paused), with an e-mail address and the mailing consent in force.
DROP VIEW mailable_expert;
CREATE VIEW mailable_expert AS
  SELECT e.id, e.email FROM living_expert e
  WHERE e.status <> 'left' AND e.email IS NOT NULL AND EXISTS (
    SELECT 1 FROM active_consent c WHERE c.expert_id = e.id AND c.purpose = 'mailing');
