-- SPDX-License-Identifier: MIT
-- Migration 13: corrections. A recorded fact corrected by a contact person (a loan's date, a
-- dispatch recorded by mistake, a request reopened, ...) is an event in the request's history;
-- `correction` names what was corrected (fields, never their values), and the event's note
-- carries the reason when one was given. Table 1's comment is never taken from a correction.
ALTER TABLE request_event ADD COLUMN correction TEXT
  CHECK (correction IS NULL OR length(correction) BETWEEN 1 AND 500);

-- Records merged into another (lbib expert merge, lbib borrower merge): the id that was
-- dropped and the one kept. The erasure of a kept record lists the dropped ids in the erasure
-- ledger too, so restoring a backup made before the merge never brings the person back.
CREATE TABLE merged_record (
  kind       TEXT NOT NULL CHECK (kind IN ('expert', 'borrower')),
  dropped_id INTEGER NOT NULL,
  kept_id    INTEGER NOT NULL,
  merged_on  TEXT NOT NULL CHECK (date(merged_on) IS merged_on),
  PRIMARY KEY (kind, dropped_id)
) STRICT;

CREATE INDEX merged_record_kept ON merged_record (kind, kept_id);
