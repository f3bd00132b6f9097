-- SPDX-License-Identifier: MIT
-- Migration 2: the lending cycle. Borrowers send requests; a request moves through an
-- explicit state machine whose dated transitions are kept; the request is mailed (by BCC)
-- to experts in one or more dispatches; a loan records who took part.

-- An organisation that borrows experts, and its contact person for the request.
CREATE TABLE borrower (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  organisation  TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
  unit          TEXT CHECK (length(unit) <= 200),
  contact_name  TEXT NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 200),
  contact_email TEXT NOT NULL CHECK (length(contact_email) BETWEEN 3 AND 254),
  contact_phone TEXT CHECK (length(contact_phone) <= 40)
) STRICT;

-- A request to borrow experts (uppdragsförfrågan).
CREATE TABLE request (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  borrower_id     INTEGER NOT NULL REFERENCES borrower (id) ON DELETE RESTRICT,
  received_on     TEXT NOT NULL CHECK (date(received_on) IS received_on),
  purpose         TEXT CHECK (length(purpose) <= 2000),
  form            TEXT,
  time            TEXT CHECK (length(time) <= 500),
  place           TEXT CHECK (length(place) <= 500),
  digital         INTEGER NOT NULL DEFAULT 0 CHECK (digital IN (0, 1)),
  experts_wanted  INTEGER NOT NULL DEFAULT 2 CHECK (experts_wanted BETWEEN 1 AND 1000),
  fewer_reason    TEXT CHECK (length(fewer_reason) <= 500),
  min_age         INTEGER CHECK (min_age BETWEEN 0 AND 130),
  max_age         INTEGER CHECK (max_age BETWEEN 0 AND 130),
  municipality    TEXT CHECK (length(municipality) <= 100),
  reply_by        TEXT CHECK (date(reply_by) IS reply_by),
  notes           TEXT CHECK (length(notes) <= 10000),
  state           TEXT NOT NULL DEFAULT 'received' CHECK (state IN (
                    'received', 'awaiting-detail', 'pre-meeting-held', 'on-hold', 'dispatched',
                    'loan-carried-out', 'followed-up', 'finished',
                    'declined', 'cancelled', 'withdrawn')),
  state_reason    TEXT CHECK (state_reason IN (
                    'no-response', 'no-match', 'too-few-participants', 'by-borrower',
                    'library-closing')),
  hold_until      TEXT CHECK (date(hold_until) IS hold_until),
  CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age),
  CHECK ((experts_wanted >= 2) OR fewer_reason IS NOT NULL)
) STRICT;

CREATE INDEX request_state ON request (state, received_on);
CREATE INDEX request_borrower ON request (borrower_id);

-- The experiences a request asks for; a NULL role means any role in the area.
CREATE TABLE request_experience (
  request_id INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  role       TEXT CHECK (role IN ('patient', 'user', 'client', 'relative')),
  area       TEXT NOT NULL,
  UNIQUE (request_id, role, area)
) STRICT;

-- Every state change of a request, dated: the request's history (Table 1's comments).
CREATE TABLE request_event (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  on_date    TEXT NOT NULL CHECK (date(on_date) IS on_date),
  from_state TEXT,
  to_state   TEXT NOT NULL,
  reason     TEXT,
  note       TEXT CHECK (length(note) <= 2000)
) STRICT;

CREATE INDEX request_event_request ON request_event (request_id, id);

-- The digital pre-meeting with the borrower, and the three conditions it was told.
CREATE TABLE pre_meeting (
  request_id        INTEGER PRIMARY KEY REFERENCES request (id) ON DELETE CASCADE,
  held_on           TEXT NOT NULL CHECK (date(held_on) IS held_on),
  told_compensation INTEGER NOT NULL CHECK (told_compensation = 1),
  told_two_experts  INTEGER NOT NULL CHECK (told_two_experts = 1),
  told_feedback     INTEGER NOT NULL CHECK (told_feedback = 1),
  notes             TEXT CHECK (length(notes) <= 10000)
) STRICT;

-- Experts the borrower asked for by name (Table 1 row 12), still subject to consent.
CREATE TABLE request_pick (
  request_id INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  expert_id  INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  picked_on  TEXT NOT NULL CHECK (date(picked_on) IS picked_on),
  PRIMARY KEY (request_id, expert_id)
) STRICT;

-- One message handed to sendmail: recorded only after sendmail accepted it.
CREATE TABLE dispatch (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  message_id  TEXT NOT NULL UNIQUE,
  sent_on     TEXT NOT NULL CHECK (date(sent_on) IS sent_on)
) STRICT;

-- Who received which request. One row per expert and request: nobody is sent a request twice.
CREATE TABLE invitation (
  request_id  INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  dispatch_id INTEGER NOT NULL REFERENCES dispatch (id) ON DELETE CASCADE,
  PRIMARY KEY (request_id, expert_id)
) STRICT;

-- Fair rotation counts invitations per expert over the last year.
CREATE INDEX invitation_expert ON invitation (expert_id, request_id);

-- The loan as carried out.
CREATE TABLE loan (
  request_id            INTEGER PRIMARY KEY REFERENCES request (id) ON DELETE CASCADE,
  carried_out_on        TEXT NOT NULL CHECK (date(carried_out_on) IS carried_out_on),
  until_on              TEXT CHECK (date(until_on) IS until_on),
  form                  TEXT,
  external_participants INTEGER NOT NULL DEFAULT 0 CHECK (external_participants >= 0),
  fewer_reason          TEXT CHECK (length(fewer_reason) <= 500),
  CHECK (until_on IS NULL OR until_on >= carried_out_on)
) STRICT;

-- The library's experts who took part in a loan.
CREATE TABLE loan_participant (
  request_id INTEGER NOT NULL REFERENCES loan (request_id) ON DELETE CASCADE,
  expert_id  INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  invited    INTEGER NOT NULL CHECK (invited IN (0, 1)),
  PRIMARY KEY (request_id, expert_id)
) STRICT;

CREATE INDEX loan_participant_expert ON loan_participant (expert_id);
