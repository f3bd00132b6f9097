-- SPDX-License-Identifier: MIT
-- Migration 19: recruiting for one assignment and outreach that leads somewhere (issue #16).

-- A request's open call: an anonymous text (what, when, where, what experience is sought) that
-- the public catalogue shows as an open assignment until the request's reply-by date.
CREATE TABLE open_call (
  request_id INTEGER PRIMARY KEY REFERENCES request (id) ON DELETE CASCADE,
  text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  opened_on  TEXT NOT NULL CHECK (date(opened_on) IS opened_on)
) STRICT;

-- A person recruited for one assignment (`lbib recruit --for-request`): their consent covers
-- that request only, so matching offers them to no other request until they join the library
-- (joined_on, `lbib expert join`); one who does not join is erased on the configured schedule
-- after the request closed. The row stays with the erasure stub, for `report recruitment`.
CREATE TABLE assignment_recruit (
  expert_id  INTEGER PRIMARY KEY REFERENCES expert (id) ON DELETE CASCADE,
  request_id INTEGER NOT NULL REFERENCES request (id) ON DELETE RESTRICT,
  joined_on  TEXT CHECK (date(joined_on) IS joined_on)
) STRICT;

CREATE INDEX assignment_recruit_request ON assignment_recruit (request_id);

-- The organisations an outreach activity addressed (beside its sector), so what followed it
-- can be read: requests from them in the months after.
CREATE TABLE outreach_target (
  outreach_id  INTEGER NOT NULL REFERENCES outreach (id) ON DELETE CASCADE,
  organisation TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
  PRIMARY KEY (outreach_id, organisation)
) STRICT;
