-- SPDX-License-Identifier: MIT
-- Migration 25: the keys by which a person's mention is found in free text, by index.
--
-- A data subject's export (`expert export`, `borrower export`) redacts the other registered
-- people its texts mention: any part of their name as a whole word, their e-mail, their
-- phone number (privacy::Redactor). To know who those could be it read every living
-- expert's and contact person's name: 49 ms of a 51 ms export at 100,000 experts. Each living
-- person's keys (text::mention_keys: every name part Redactor matches on its own, folded by
-- text::fold_for_match; the e-mail folded the same way; the phone's digits when five or more)
-- are kept here, one row each, and the export looks up only the words, addresses and digits
-- of its own texts (privacy::MentionIndex::candidates).
--
-- Derived personal data, like migration 24's identity keys: written with every write of a
-- name, an e-mail or a phone (privacy::refresh_mention_keys, from experts::store,
-- lending's add_borrower and edit_borrower, merges and the import), deleted by an erasure
-- (the erasure report lists them), never handed over (the import computes them).
-- `kind` and `person` name the person as privacy::Redactor does (an expert, or a borrower's
-- contact person); not a foreign key, so the table is no record of one expert's (nothing of
-- it goes into a subject's export or moves with a merge).
CREATE TABLE mention_key (
  key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('expert', 'borrower')),
  person INTEGER NOT NULL,
  PRIMARY KEY (key, kind, person)
) WITHOUT ROWID;

CREATE INDEX mention_key_person ON mention_key (kind, person);

INSERT OR IGNORE INTO mention_key (key, kind, person)
SELECT k.value, 'expert', e.id
FROM expert e, json_each(sv_mention_keys(e.name, e.email, e.phone)) k
WHERE e.erased_on IS NULL;

INSERT OR IGNORE INTO mention_key (key, kind, person)
SELECT k.value, 'borrower', b.id
FROM borrower b, json_each(sv_mention_keys(b.contact_name, b.contact_email, b.contact_phone)) k
WHERE b.erased_on IS NULL;
