-- SPDX-License-Identifier: MIT
-- Migration 17: who signed up for a loan but did not come, and replies read from the library's
-- mailbox (issue #15).

-- An expert who signed up for a loan but did not take part (a no-show). Recorded without
-- judgement: the loan's participants stay those who took part; signed up = participants and
-- no-shows. An expert is a participant or a no-show of a loan, never both (lbib checks it).
CREATE TABLE loan_no_show (
  request_id INTEGER NOT NULL REFERENCES loan (request_id) ON DELETE CASCADE,
  expert_id  INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  PRIMARY KEY (request_id, expert_id)
) STRICT;

CREATE INDEX loan_no_show_expert ON loan_no_show (expert_id);

-- An answer may be 'unclear': the expert replied by mail (`lbib inbox`) but the first words
-- said neither yes nor no, so a person reads the reply. Adding a value to a CHECK does not
-- change how rows are stored, so the table's definition is edited in place as in 0015.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (answer IN (''yes'', ''no''))',
                    'CHECK (answer IN (''yes'', ''no'', ''unclear''))')
  WHERE type = 'table' AND name = 'answer';
PRAGMA writable_schema = OFF;
