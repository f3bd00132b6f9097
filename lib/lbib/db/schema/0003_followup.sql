-- SPDX-License-Identifier: MIT
-- Migration 3: the follow-up of a loan, the summary mailed to the experts who took part, the
-- borrower's own feedback, and compensation.

-- The follow-up meeting with the borrower after a loan (uppföljningsmöte).
CREATE TABLE followup (
  request_id            INTEGER PRIMARY KEY REFERENCES loan (request_id) ON DELETE CASCADE,
  booked_for            TEXT CHECK (date(booked_for) IS booked_for),
  held_on               TEXT CHECK (date(held_on) IS held_on),
  satisfaction          INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
  new_insights          TEXT CHECK (new_insights IN ('yes', 'no', 'unknown')),
  compensation          TEXT CHECK (compensation IN ('paid', 'arranged', 'not-arranged', 'not-applicable')),
  quotes                TEXT CHECK (length(quotes) <= 10000),
  summary_sent_on       TEXT CHECK (date(summary_sent_on) IS summary_sent_on),
  feedback_confirmed_on TEXT CHECK (date(feedback_confirmed_on) IS feedback_confirmed_on),
  CHECK ((held_on IS NULL) = (satisfaction IS NULL)),
  CHECK (summary_sent_on IS NULL OR held_on IS NOT NULL)
) STRICT;

-- The answers to the configured follow-up questions (followup.questions), by question key.
CREATE TABLE followup_answer (
  request_id INTEGER NOT NULL REFERENCES followup (request_id) ON DELETE CASCADE,
  question   TEXT NOT NULL,
  answer     TEXT NOT NULL CHECK (length(answer) <= 10000),
  PRIMARY KEY (request_id, question)
) STRICT;

-- Who was sent the follow-up summary, so each expert's page shows the feedback they got.
CREATE TABLE summary_recipient (
  request_id INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  expert_id  INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  sent_on    TEXT NOT NULL CHECK (date(sent_on) IS sent_on),
  PRIMARY KEY (request_id, expert_id)
) STRICT;

CREATE INDEX summary_recipient_message ON summary_recipient (message_id);

-- Compensation per loan and expert, at the rate valid on the loan's date.
CREATE TABLE payment (
  request_id      INTEGER NOT NULL,
  expert_id       INTEGER NOT NULL,
  unit            TEXT NOT NULL CHECK (unit IN ('hour', 'half-day', 'full-day')),
  quantity        INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  rate            INTEGER NOT NULL CHECK (rate >= 0),
  travel          INTEGER NOT NULL DEFAULT 0 CHECK (travel >= 0),
  amount          INTEGER NOT NULL CHECK (amount >= 0),
  rate_valid_from TEXT NOT NULL CHECK (date(rate_valid_from) IS rate_valid_from),
  payer           TEXT NOT NULL CHECK (length(payer) BETWEEN 1 AND 200),
  status          TEXT NOT NULL CHECK (status IN ('due', 'paid', 'declined')),
  due_on          TEXT NOT NULL CHECK (date(due_on) IS due_on),
  settled_on      TEXT CHECK (date(settled_on) IS settled_on),
  PRIMARY KEY (request_id, expert_id),
  FOREIGN KEY (request_id, expert_id) REFERENCES loan_participant (request_id, expert_id) ON DELETE CASCADE,
  CHECK ((status = 'due') = (settled_on IS NULL))
) STRICT;

CREATE INDEX payment_status ON payment (status, due_on);
