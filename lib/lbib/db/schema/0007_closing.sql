-- SPDX-License-Identifier: MIT
-- Migration 7: winding the library down (the final report's closing phase): the date it
-- began closing, the mails that told everyone, and the final surveys' answers.

CREATE TABLE library_state (
  key   TEXT PRIMARY KEY CHECK (key IN ('closing_since')),
  value TEXT NOT NULL
) STRICT;

-- Who was sent the closing notice or a final survey (recorded after sendmail accepted it).
CREATE TABLE notice (
  kind           TEXT NOT NULL CHECK (kind IN ('closing', 'survey-experts', 'survey-borrowers')),
  recipient_id   INTEGER NOT NULL,
  message_id     TEXT NOT NULL,
  sent_on        TEXT NOT NULL CHECK (date(sent_on) IS sent_on),
  PRIMARY KEY (kind, recipient_id)
) STRICT;

CREATE INDEX notice_message ON notice (message_id);

-- Answers to the final surveys: who answered (an expert's or a borrower's id) and when.
CREATE TABLE survey_response (
  kind         TEXT NOT NULL CHECK (kind IN ('experts', 'borrowers')),
  respondent   INTEGER NOT NULL,
  answered_on  TEXT NOT NULL CHECK (date(answered_on) IS answered_on),
  answers      TEXT CHECK (length(answers) <= 20000),
  PRIMARY KEY (kind, respondent)
) STRICT;
