-- SPDX-License-Identifier: MIT
-- Migration 5: data protection. Consent texts stored once with their hash, how a consent was
-- given, erasure stubs, and data-subject requests (GDPR articles 12, 15-17, 20).

-- The text read to or signed by the expert, once per purpose and version.
CREATE TABLE consent_text (
  purpose TEXT NOT NULL CHECK (purpose IN ('register', 'mailing', 'website')),
  version TEXT NOT NULL CHECK (length(version) BETWEEN 1 AND 64),
  body    TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  sha256  TEXT NOT NULL CHECK (length(sha256) = 64),
  PRIMARY KEY (purpose, version)
) STRICT;

ALTER TABLE consent ADD COLUMN method TEXT NOT NULL DEFAULT 'oral' CHECK (method IN ('oral', 'written'));

-- An erased expert keeps an anonymous stub: the dates statistics need, nothing personal.
ALTER TABLE expert ADD COLUMN erased_on TEXT CHECK (date(erased_on) IS erased_on);

-- Requests from data subjects, answered within a month (article 12(3)).
CREATE TABLE subject_request (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  expert_id   INTEGER REFERENCES expert (id) ON DELETE SET NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'withdrawal')),
  received_on TEXT NOT NULL CHECK (date(received_on) IS received_on),
  due_on      TEXT NOT NULL CHECK (date(due_on) IS due_on),
  done_on     TEXT CHECK (date(done_on) IS done_on),
  note        TEXT CHECK (length(note) <= 2000)
) STRICT;

CREATE INDEX subject_request_open ON subject_request (done_on, due_on);
