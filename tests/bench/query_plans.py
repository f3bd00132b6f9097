#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that the hot commands' queries use an index for every filter (docs/performance.md).

Builds a register with tests/bench/generate.py, runs each hot command with $LBIB_SQL_LOG so
lbib writes the text of every statement it runs, and asks SQLite for each statement's
EXPLAIN QUERY PLAN on the same file. A command that touches a few rows may not SCAN a table
that grows with the register; the few scans that are the work itself are listed in
ALLOWED_SCANS with the reason.

    query_plans.py --lbib build/cmd/lbib [--experts 2000] [--show]
"""
import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Tables that grow with the register: experts and everything per expert or per request.
LARGE = {"expert", "experience", "consent", "invitation", "loan_participant", "request",
         "request_experience", "request_event", "dispatch", "loan", "followup", "audit",
         "payment", "request_pick", "outreach", "subject_request"}

# (command name, table) pairs where a full scan is the work the command does.
ALLOWED_SCANS = {
    # The lists and reports read every row of what they list or count.
    ("report yearly", "expert"), ("report yearly", "request"), ("report yearly", "loan"),
    ("report requests", "request"),
    # remind looks at every open item; each kind is one pass over its table.
    ("remind", "expert"), ("remind", "request"), ("remind", "loan"), ("remind", "followup"),
    ("remind", "subject_request"), ("remind", "consent"), ("remind", "payment"),
    # today reads what remind reads, and every open request.
    ("today", "expert"), ("today", "request"), ("today", "loan"), ("today", "followup"),
    ("today", "subject_request"), ("today", "consent"), ("today", "payment"),
    # gdpr purge --dry-run reads what remind's data protection reads.
    ("gdpr purge --dry-run", "request"), ("gdpr purge --dry-run", "followup"),
    ("gdpr purge --dry-run", "payment"),
    # The annual report and the statistics kept at closing count the whole period: the
    # recruited, the requests (Table 1) and the loans, as report yearly and report requests do.
    ("report annual", "expert"), ("report annual", "request"), ("report annual", "loan"),
    ("close statistics", "expert"), ("close statistics", "request"), ("close statistics", "loan"),
    # A person's export redacts every other registered person the texts in it may mention:
    # it reads every name (none is held, only those the texts hold words of).
    ("expert export", "expert"),
}


def commands(size, dispatched, out):
    req = max(1, size * 5 // 100 * 10 // 2)
    ident = size // 2
    return [
        # The generated history lies in the past: its reply-by dates have passed.
        ("dispatch", ["dispatch", str(dispatched), "--out", str(out), "--past-reply-by"]),
        ("recruit", ["recruit", "--name", "Ny Person", "--email", "ny@example.se", "--channel", "website",
                     "--consent", "register,mailing", "--experience", "relative:dementia"]),
        ("expert list --area", ["expert", "list", "--area", "dementia", "--format", "json"]),
        ("expert show", ["expert", "show", str(ident)]),
        ("expert export", ["expert", "export", str(ident)]),
        ("match", ["match", str(req), "--format", "json"]),
        ("request show", ["request", "show", str(req)]),
        ("report yearly", ["report", "yearly"]),
        ("report requests", ["report", "requests", "--format", "csv"]),
        ("remind", ["remind", "--today", "2026-06-01", "--format", "json"]),
        ("today", ["today", "--today", "2026-06-01", "--format", "json"]),
        ("gdpr purge --dry-run", ["gdpr", "purge", "--dry-run", "--today", "2026-06-01", "--format", "json"]),
        ("report annual", ["report", "annual", "--format", "html"]),
        ("close statistics", ["close", "statistics"]),
    ]


KEYWORDS = {"WHERE", "ON", "JOIN", "LEFT", "INNER", "CROSS", "GROUP", "ORDER", "USING", "LIMIT", "AND",
            "WINDOW", "UNION", "EXCEPT", "INTERSECT", "NATURAL"}


def aliases_of(sql):
    """{alias: table} for every `FROM table alias` and `JOIN table AS alias` in `sql`."""
    out = {}
    for table, alias in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+AS)?\s+(\w+)", sql, re.I):
        if alias.upper() not in KEYWORDS:
            out[alias] = table
    return out


def plan(con, sql):
    """EXPLAIN QUERY PLAN rows for `sql`, with NULL for every parameter."""
    params = ()
    for _ in range(2):
        try:
            return [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
        except sqlite3.ProgrammingError as e:
            m = re.search(r"uses (\d+)", str(e))
            if not m:
                raise
            params = (None,) * int(m.group(1))
    raise RuntimeError(sql)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lbib", required=True)
    ap.add_argument("--experts", type=int, default=2000)
    ap.add_argument("--show", action="store_true", help="print every plan")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lbib-plans-"))
    os.chmod(work, 0o700)
    failures, statements = [], 0
    try:
        db = work / "r.sqlite"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--experts", str(a.experts), "--db", str(db),
                        "--lbib", a.lbib], check=True, stdout=subprocess.DEVNULL)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
        env.update(HOME=str(work), LBIB_DB=str(db))
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        # lbib's own SQL functions (text::register_collation), for the plans only: any body will do.
        for function in ("sv_fold", "sv_fold_identity", "sv_phone_digits"):
            con.create_function(function, 1, lambda s: s, deterministic=True)
        con.create_function("sv_mention_keys", 3, lambda name, email, phone: "[]", deterministic=True)
        dispatched = con.execute("SELECT min(id) FROM request WHERE state = 'dispatched'").fetchone()[0]
        (work / "out").mkdir()
        for name, args in commands(a.experts, dispatched, work / "out"):
            log = work / (name.replace(" ", "_") + ".sql")
            subprocess.run([a.lbib] + args, env=dict(env, LBIB_SQL_LOG=str(log)), check=True,
                           stdout=subprocess.DEVNULL)
            # One statement per line, with \\, \n and \r escaped.
            lines = [re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), l)
                     for l in log.read_text().splitlines() if l.strip()]
            if not lines:
                failures.append(f"{name}: no statements logged")
            for sql in lines:
                if not re.match(r"\s*(WITH|SELECT|INSERT|UPDATE|DELETE)", sql, re.I):
                    continue  # BEGIN, COMMIT, PRAGMA
                statements += 1
                rows = plan(con, sql)
                if a.show:
                    print(f"[{name}] {sql[:160]}\n    " + "\n    ".join(rows))
                aliases = aliases_of(sql)
                for row in rows:
                    # "SCAN t" or "SCAN alias" is a full scan; "SCAN t USING INDEX" is not.
                    m = re.fullmatch(r"SCAN (\w+)", row)
                    table = m and aliases.get(m.group(1), m.group(1))
                    if table in LARGE and (name, table) not in ALLOWED_SCANS:
                        failures.append(f"{name}: full scan of {table} in: {sql[:200]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"query plans: {statements} statements of {len(commands(a.experts, 0, work))} commands checked, "
          f"{len(failures)} unindexed filters")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
