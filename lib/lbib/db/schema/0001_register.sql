-- SPDX-License-Identifier: MIT
-- Migration 1: the recruitment register and the audit log.
-- Dates are ISO 8601 text (YYYY-MM-DD); timestamps are UTC (YYYY-MM-DDTHH:MM:SSZ).
-- Keys of configured vocabularies (areas, channels) are checked by lbib against the
-- configuration; fixed enumerations are checked here.

-- An expert by experience (erfaren). AUTOINCREMENT: ids are never reused, even after erasure.
CREATE TABLE expert (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email             TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  phone             TEXT CHECK (length(phone) <= 40),
  municipality      TEXT CHECK (length(municipality) <= 100),
  birth_year        INTEGER CHECK (birth_year BETWEEN 1900 AND 2100),
  born_abroad       TEXT NOT NULL DEFAULT 'unknown' CHECK (born_abroad IN ('yes', 'no', 'unknown')),
  care_professional TEXT NOT NULL DEFAULT 'unknown' CHECK (care_professional IN ('yes', 'no', 'unknown')),
  retired           TEXT NOT NULL DEFAULT 'unknown' CHECK (retired IN ('yes', 'no', 'unknown')),
  channel           TEXT NOT NULL,
  interviewed_on    TEXT NOT NULL CHECK (date(interviewed_on) IS interviewed_on),
  notes             TEXT CHECK (length(notes) <= 10000),
  status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'left')),
  left_on           TEXT CHECK (date(left_on) IS left_on),
  CHECK ((status = 'left') = (left_on IS NOT NULL))
) STRICT;

CREATE INDEX expert_status ON expert (status, municipality);

-- One experience of care or social services: a role in an area, roughly when, and whether the
-- person sees it as a major or an everyday experience.
CREATE TABLE experience (
  id        INTEGER PRIMARY KEY,
  expert_id INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  role      TEXT NOT NULL CHECK (role IN ('patient', 'user', 'client', 'relative')),
  area      TEXT NOT NULL,
  year      INTEGER CHECK (year BETWEEN 1900 AND 2100),
  magnitude TEXT NOT NULL CHECK (magnitude IN ('major', 'everyday')),
  UNIQUE (expert_id, role, area)
) STRICT;

-- Matching and filters look experts up by area and role.
CREATE INDEX experience_area_role ON experience (area, role, expert_id);

-- Consent per purpose: 'register' (required to be in the register at all), 'mailing' (to be
-- sent requests) and 'website' (a public description). A withdrawal is dated, never deleted.
CREATE TABLE consent (
  id           INTEGER PRIMARY KEY,
  expert_id    INTEGER NOT NULL REFERENCES expert (id) ON DELETE CASCADE,
  purpose      TEXT NOT NULL CHECK (purpose IN ('register', 'mailing', 'website')),
  given_on     TEXT NOT NULL CHECK (date(given_on) IS given_on),
  text_version TEXT NOT NULL CHECK (length(text_version) BETWEEN 1 AND 64),
  recorded_by  TEXT NOT NULL,
  withdrawn_on TEXT CHECK (date(withdrawn_on) IS withdrawn_on)
) STRICT;

-- At most one consent per purpose is in force at a time.
CREATE UNIQUE INDEX consent_in_force ON consent (expert_id, purpose) WHERE withdrawn_on IS NULL;

-- Who did what, when. It names entities by id only and holds no personal values.
CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  os_user   TEXT NOT NULL,
  as_name   TEXT,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id INTEGER,
  detail    TEXT
) STRICT;

CREATE INDEX audit_entity ON audit (entity, entity_id);
