-- SPDX-License-Identifier: MIT
-- Migration 20 (issue #15): replies to the experts' questionnaire read from the library's
-- mailbox by `lbib inbox`. The day the expert's reply arrived is kept (never its text): the
-- expert answered by mail, and a person reads the reply ("answered, read it"). A questionnaire
-- is answered when it has such a day or answers recorded (`lbib followup expert`).
ALTER TABLE questionnaire ADD COLUMN replied_on TEXT
  CHECK (date(replied_on) IS replied_on AND replied_on >= sent_on);
