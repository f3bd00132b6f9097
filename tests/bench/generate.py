#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Builds a synthetic register for benchmarks: N invented experts with experiences and
consents, and ten years of lending (about 5 requests per 100 experts a year) with dispatches,
invitations, loans and follow-ups.

    generate.py --experts 100000 --db bench.sqlite [--lbib path/to/lbib]

The register is created by `lbib init` (so it carries lbib's schema, application id and
version); the rows go in with SQL in one transaction, through Python's sqlite3.
"""
import argparse
import hashlib
import tomllib
from pathlib import Path
import os
import random
import sqlite3
import subprocess
import time
import unicodedata

AREAS = ["cancer-care", "dementia", "psychiatry", "habilitation", "rehabilitation", "elderly-care",
         "home-care", "primary-care", "dental-care", "pharmacy", "healthcare-guide", "ambulance",
         "emergency-care", "accompanying", "hospital-stay", "maternity-care", "e-health",
         "social-services", "disability-support", "addiction", "child-youth"]
ROLES = ["patient", "user", "client", "relative"]
TOWNS = ["Eskilstuna", "Nyköping", "Strängnäs", "Katrineholm", "Flen", "Oxelösund", "Trosa", "Gnesta",
         "Vingåker", "Västerås", "Örebro", "Uppsala", "Linköping", "Jönköping", "Umeå", "Luleå"]
FORMS = ["workshop", "meeting", "focus-group", "interviews", "telephone-interviews", "photo-elicitation"]
CHANNELS = ["personal-contact", "website", "assignment", "user-organisation", "relatives-centre", "social-media"]


def date(year, day_of_year):
    import datetime
    return (datetime.date(year, 1, 1) + datetime.timedelta(days=day_of_year)).isoformat()


def main():
    # The built-in consent texts themselves: lbib refuses another text under the same version.
    consent = tomllib.loads((Path(__file__).resolve().parents[2] / "config" / "lbib.toml")
                            .read_text())["consent"]
    version = consent["text_version"]
    ap = argparse.ArgumentParser()
    ap.add_argument("--experts", type=int, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--lbib", default="lbib")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    start = time.monotonic()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
    subprocess.run([a.lbib, "--db", a.db, "init"], check=True, env=env, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(a.db)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("BEGIN")
    first_year, years = 2016, 10
    experts, experiences, consents = [], [], []
    for i in range(1, a.experts + 1):
        year = first_year + rnd.randrange(years)
        experts.append((i, f"Påhittad Person {i}", f"person{i}@example.se", None, rnd.choice(TOWNS),
                        rnd.randint(1935, 2004), rnd.choice(["yes", "no", "unknown"]),
                        rnd.choice(["yes", "no"]), rnd.choice(["yes", "no"]), rnd.choice(CHANNELS),
                        date(year, rnd.randrange(360)), None, "active", None))
        for role, area in {(rnd.choice(ROLES), rnd.choice(AREAS)) for _ in range(rnd.randint(1, 4))}:
            experiences.append((i, role, area, None, rnd.choice(["major", "everyday"])))
        consents.append((i, "register", date(year, 0), version, "bench"))
        if rnd.random() < 0.9:
            consents.append((i, "mailing", date(year, 0), version, "bench"))
    con.executemany("INSERT INTO expert (id, name, email, phone, municipality, birth_year, born_abroad, "
                    "care_professional, retired, channel, interviewed_on, notes, status, left_on) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", experts)
    if "name_folded" in {row[1] for row in con.execute("PRAGMA table_info(expert)")}:
        # The identity keys lbib keeps beside the name and e-mail (migration 24), as
        # text::fold_identity folds these names (NFKC, case folded, spacing normalised).
        con.executemany("UPDATE expert SET name_folded = ?, email_folded = ? WHERE id = ?",
                        ((" ".join(unicodedata.normalize("NFKC", e[1]).casefold().split()), e[2].lower(), e[0])
                         for e in experts))
    con.executemany("INSERT INTO experience (expert_id, role, area, year, magnitude) VALUES (?,?,?,?,?)", experiences)
    # The consent texts the consents refer to, with their SHA-256 (lbib import checks both).
    texts = [(p, version, consent["texts"][p]) for p in ("register", "mailing")]
    con.executemany("INSERT INTO consent_text (purpose, version, body, sha256) VALUES (?,?,?,?)",
                    [(p, v, b, hashlib.sha256(b.encode()).hexdigest()) for p, v, b in texts])
    con.executemany("INSERT INTO consent (expert_id, purpose, given_on, text_version, recorded_by) "
                    "VALUES (?,?,?,?,?)", consents)
    borrowers = max(1, a.experts // 100)
    con.executemany("INSERT INTO borrower (id, organisation, unit, contact_name, contact_email) VALUES (?,?,?,?,?)",
                    [(b, f"Organisation {b}", "Enhet", f"Kontakt {b}", f"kontakt{b}@example.se")
                     for b in range(1, borrowers + 1)])
    if con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'mention_key'").fetchone():
        # The keys by which a subject's export finds the people its texts mention (migration
        # 25), as text::mention_keys makes them of these names: each word folded (accents
        # dropped, lower case) unless shorter than two letters or a number, and the e-mail.
        def mention_keys(name, email):
            keys = []
            for word in name.split():
                folded = "".join(c for c in unicodedata.normalize("NFD", word.casefold())
                                 if not unicodedata.combining(c))
                if len(folded) >= 2 and not folded.isdigit() and folded not in keys:
                    keys.append(folded)
            return keys + [email.lower()]
        con.executemany("INSERT OR IGNORE INTO mention_key (key, kind, person) VALUES (?,?,?)",
                        [(k, "expert", e[0]) for e in experts for k in mention_keys(e[1], e[2])] +
                        [(k, "borrower", b) for b in range(1, borrowers + 1)
                         for k in mention_keys(f"Kontakt {b}", f"kontakt{b}@example.se")])
    requests = a.experts * 5 // 100 * years
    req_rows, wanted, events, dispatches, invitations, loans, participants, followups = [], [], [], [], [], [], [], []
    invited_pairs = set()
    for r in range(1, requests + 1):
        year = first_year + rnd.randrange(years)
        day = rnd.randrange(300)
        received = date(year, day)
        state = rnd.choices(["finished", "loan-carried-out", "dispatched", "declined", "received"],
                            [55, 10, 10, 15, 10])[0]
        req_rows.append((r, rnd.randint(1, borrowers), received, f"Syfte {r}", rnd.choice(FORMS), "Tid",
                         "Digitalt", 1, 3, date(year, day + 20), state,
                         "no-match" if state == "declined" else None))
        wanted.append((r, None, rnd.choice(AREAS)))
        events.append((r, received, None, "received"))
        if state in ("finished", "loan-carried-out", "dispatched"):
            dispatches.append((r, r, f"lbib.r{r}.bench@example.se", date(year, day + 5)))
            chosen = rnd.sample(range(1, a.experts + 1), min(8, a.experts))
            for e in chosen:
                invitations.append((r, e, r))
            if state != "dispatched":
                loans.append((r, date(year, day + 30), rnd.choice(FORMS)))
                for e in chosen[:3]:
                    participants.append((r, e, 1))
                if state == "finished":
                    followups.append((r, date(year, day + 40), date(year, day + 40), rnd.randint(3, 5), "yes",
                                      "arranged", date(year, day + 41), date(year, day + 60)))
    con.executemany("INSERT INTO request (id, borrower_id, received_on, purpose, form, time, place, digital, "
                    "experts_wanted, reply_by, state, state_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", req_rows)
    con.executemany("INSERT INTO request_experience (request_id, role, area) VALUES (?,?,?)", wanted)
    con.executemany("INSERT INTO request_event (request_id, on_date, from_state, to_state) VALUES (?,?,?,?)", events)
    con.executemany("INSERT INTO dispatch (id, request_id, message_id, sent_on) VALUES (?,?,?,?)", dispatches)
    con.executemany("INSERT INTO invitation (request_id, expert_id, dispatch_id) VALUES (?,?,?)", invitations)
    con.executemany("INSERT INTO loan (request_id, carried_out_on, form) VALUES (?,?,?)", loans)
    con.executemany("INSERT INTO loan_participant (request_id, expert_id, invited) VALUES (?,?,?)", participants)
    con.executemany("INSERT INTO followup (request_id, booked_for, held_on, satisfaction, new_insights, "
                    "compensation, summary_sent_on, feedback_confirmed_on) VALUES (?,?,?,?,?,?,?,?)", followups)
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    os.chmod(a.db, 0o600)
    print(f"{a.experts} experts, {len(experiences)} experiences, {requests} requests, "
          f"{len(invitations)} invitations, {len(loans)} loans in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
