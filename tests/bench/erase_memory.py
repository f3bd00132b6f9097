#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The memory `lbib close erase` needs to erase everyone in a large register, and whether
anything of them is left: a synthetic register (generate.py) is given varied invented names,
e-mail addresses and phone numbers and free text that mentions them (by name, in the genitive,
by address and by number), then closed and erased under /usr/bin/time -v. Prints the peak
resident memory and the time; fails when the erasure leaves an expert living, a ledger line
missing, or any of the invented addresses, numbers or surnames in the register's bytes.
A benchmark that reports figures, never a timed test.

    erase_memory.py --lbib build/release/cmd/lbib [--experts 100000] [--limit-mib 32]

With --limit-mib the exit code also says whether the measured peak stayed within that many MiB.
Everyone in it is invented.
"""
import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from import_memory import measured

HERE = Path(__file__).resolve().parent

FIRST = ["Anna", "Eva", "Maria", "Karin", "Åsa", "Björn", "Lars", "Örjan", "Märta", "Sven", "Ingrid",
         "Ali", "Fatima", "Noah", "Elsa", "Ida", "Olle", "Siv", "Göran", "Ülkü", "Jan", "Per", "Li", "Bo",
         "Astrid", "Kjell", "Mohammed", "Leila", "Tove", "Ebba"]
# Surnames no other text of the generated register holds: after the erasure none may be left.
LAST = ["Svensson", "Lind", "Öberg", "Åkesson", "Nilsson", "Berg", "Karlsson", "Hägg", "Lindqvist",
        "Yilmaz", "Andersson", "Holm", "Sjöberg", "Ström", "Wikström", "Nyström", "Bäck", "Persson",
        "Jönsson", "Lundgren", "Dahl", "Ahmadi", "Sandberg", "Forsberg", "Ek"]
DOMAINS = ["exempel.se", "pahittad.example.org", "post.example.com"]  # lbib takes ASCII addresses


def fold(s):
    return s.lower().translate(str.maketrans("åäöü", "aaou"))


def vary(db, seed):
    """Gives every expert an invented name, address and (most) a phone number, and fills the
    shared free text with mentions of them; returns the people."""
    rnd = random.Random(seed)
    con = sqlite3.connect(db)
    ids = [row[0] for row in con.execute("SELECT id FROM expert ORDER BY id")]
    people = []
    for i in ids:
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        if rnd.random() < 0.2:
            last = f"{last}-{rnd.choice(LAST)}"
        name = f"{first} {last}"
        email = f"{fold(first)}.{fold(last)}{rnd.randint(1, 99999)}@{rnd.choice(DOMAINS)}"
        r = rnd.random()
        phone = (f"070-{rnd.randint(100, 999)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}" if r < 0.6 else
                 f"08-{rnd.randint(10, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}" if r < 0.8 else None)
        people.append((name, email, phone, i))
    con.executemany("UPDATE expert SET name = ?, email = ?, phone = ? WHERE id = ?", people)

    def mention():
        name, email, phone, _ = rnd.choice(people)
        first = name.split()[0]
        return rnd.choice([f"Samtal med {name}.", f"{first}s synpunkter var viktiga.", f"Skriv till {email}.",
                           f"Ring {phone or 'inte'} efter lunch.", f"{name.upper()} deltog, {email}",
                           f"Frågor till {email}; {rnd.choice(FIRST)} svarade.", f"Tel {phone or 'saknas'} ({first})",
                           # addresses joined to what is around them
                           f"Skriv till {email}.Hon svarar.", f"\n-{email}", f"{email}-adressen gäller.",
                           f"Kontakt.{email}", f"{(phone or '').replace('-', '').replace(' ', '')}{email}"])

    for table, column in [("request", "notes"), ("request", "purpose"), ("followup", "quotes"),
                          ("request_event", "note")]:
        rows = [row[0] for row in con.execute(f"SELECT rowid FROM {table}")]
        con.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                        # Some long texts: more than 16 mentions, where the sort of them stops keeping
                        # the order of equal ones.
                        [(" ".join(mention() for _ in range(rnd.choice([1, 2, 3, 4, 20]))) + " Inget mer.", r)
                         for r in rows])
    con.commit()
    con.close()
    return people


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lbib", required=True)
    ap.add_argument("--experts", type=int, default=100000)
    ap.add_argument("--limit-mib", type=float, default=0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the erased register and say where")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lbib-erase-mem-"))
    os.chmod(work, 0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
    env.update(HOME=str(work), LC_ALL="C.UTF-8")

    def lbib(*args, **kw):
        return subprocess.run([a.lbib, "--db", db, *args], check=True, env=env, stdout=subprocess.DEVNULL, **kw)

    try:
        db = work / "register.sqlite"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--experts", str(a.experts), "--db", str(db),
                        "--lbib", a.lbib], check=True, env=env, stdout=subprocess.DEVNULL)
        people = vary(db, a.seed)
        lbib("check", "--rebuild-keys")  # the names were changed outside lbib
        lbib("close", "start")
        p, seconds, rss_kib = measured([a.lbib, "--db", db, "close", "erase", "--yes-erase-everyone"], env)
        if rss_kib is None:
            print(p.stderr, file=sys.stderr)
            return 1
        con = sqlite3.connect(db)
        living = con.execute("SELECT count(*) FROM living_expert").fetchone()[0]
        borrowers = con.execute("SELECT count(*) FROM borrower").fetchone()[0]
        con.close()
        ledger = (work / "register.sqlite.erasures").read_text().splitlines()
        problems = []
        if living:
            problems.append(f"{living} experts still living")
        if len(ledger) != len(people) + borrowers:
            problems.append(f"{len(ledger)} ledger lines for {len(people)} experts and {borrowers} borrowers")
        # The register's bytes (and a write-ahead log, if one is left): no address, number or
        # surname of anyone erased.
        data = b"".join(f.read_bytes() for f in work.iterdir() if f.name.startswith("register.sqlite")
                        and not f.name.endswith(".erasures"))
        # One pass of one pattern: every invented address has one of DOMAINS, every number
        # one of the two forms, every surname is one of LAST (as written or in capitals; of
        # four letters or more, since "EK" is also in the bytes of an index).
        surnames = sorted({w for last in LAST if len(last) >= 4 for w in (last, last.upper())}, key=len,
                          reverse=True)
        pattern = re.compile(b"|".join(
            [re.escape(d.encode()) for d in DOMAINS] + [rb"\b0(?:70|8)-\d{2,3} \d\d \d\d\b"] +
            [rb"\b" + re.escape(w.encode()) + rb"\b" for w in surnames]))
        found = sorted({m.group().decode() for m in pattern.finditer(data)})
        if found:
            problems.append(f"{len(found)} of the erased people's words are left, e.g. {found[:3]}")
        print(f"| {a.experts:,} experts | {rss_kib / 1024:.1f} MiB | {seconds:.1f} s | {len(ledger):,} ledger lines |")
        for problem in problems:
            print(f"erase_memory: {problem}", file=sys.stderr)
        if a.limit_mib and rss_kib / 1024 > a.limit_mib:
            print(f"peak RSS {rss_kib / 1024:.1f} MiB is above {a.limit_mib} MiB", file=sys.stderr)
            return 1
        return 1 if problems else 0
    finally:
        if a.keep:
            print(f"kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
