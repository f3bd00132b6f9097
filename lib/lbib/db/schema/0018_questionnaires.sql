-- SPDX-License-Identifier: MIT
-- Migration 18 (issue #15): the other side of a loan. The experts' own questionnaire after a
-- loan, mailed to each of them individually, answered per question and reminded once; and the
-- mail to the borrower (the conditions in writing, the reminder of its feedback duty, the
-- summary, the survey) with the borrower's survey answers.

-- A questionnaire mailed to an expert who took part in a loan, and its one reminder.
CREATE TABLE questionnaire (
  request_id          INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  expert_id           INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  message_id          TEXT NOT NULL UNIQUE,
  sent_on             TEXT NOT NULL CHECK (date(sent_on) IS sent_on),
  reminder_message_id TEXT UNIQUE,
  reminded_on         TEXT CHECK (date(reminded_on) IS reminded_on),
  CHECK ((reminder_message_id IS NULL) = (reminded_on IS NULL)),
  CHECK (reminded_on IS NULL OR reminded_on >= sent_on),
  PRIMARY KEY (request_id, expert_id)
) STRICT;

CREATE INDEX questionnaire_expert ON questionnaire (expert_id);

-- An expert's answers to the questionnaire (followup.expert_questions), by question key: the
-- expert's own words, exported to them and erased with them.
CREATE TABLE questionnaire_answer (
  request_id  INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  question    TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 64),
  answer      TEXT NOT NULL CHECK (length(answer) BETWEEN 1 AND 10000),
  answered_on TEXT NOT NULL CHECK (date(answered_on) IS answered_on),
  PRIMARY KEY (request_id, expert_id, question)
) STRICT;

CREATE INDEX questionnaire_answer_expert ON questionnaire_answer (expert_id);

-- A mail to the borrower about its request, each kind once.
CREATE TABLE borrower_mail (
  request_id INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('conditions', 'feedback-reminder', 'summary', 'survey')),
  message_id TEXT NOT NULL UNIQUE,
  sent_on    TEXT NOT NULL CHECK (date(sent_on) IS sent_on),
  PRIMARY KEY (request_id, kind)
) STRICT;

-- The borrower's answers to its survey after a finished loan (followup.borrower_questions).
CREATE TABLE borrower_survey_answer (
  request_id  INTEGER NOT NULL REFERENCES request (id) ON DELETE CASCADE,
  question    TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 64),
  answer      TEXT NOT NULL CHECK (length(answer) BETWEEN 1 AND 10000),
  answered_on TEXT NOT NULL CHECK (date(answered_on) IS answered_on),
  PRIMARY KEY (request_id, question)
) STRICT;

-- Every message recorded as sent, now with the questionnaires, their reminders and the mail to
-- borrowers.
DROP VIEW sent_message;
CREATE VIEW sent_message AS
  SELECT message_id FROM dispatch
  UNION ALL SELECT message_id FROM summary_recipient
  UNION ALL SELECT message_id FROM notice
  UNION ALL SELECT message_id FROM questionnaire
  UNION ALL SELECT reminder_message_id FROM questionnaire WHERE reminder_message_id IS NOT NULL
  UNION ALL SELECT message_id FROM borrower_mail;
