#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Whole-process timings of lbib beside two peers on the same machine: the sqlite3 shell
running the equivalent SQL on the same register (the floor), and taskwarrior (Debian's `task`)
holding one task per expert, tagged with an area, doing the nearest thing it can (a filtered
count; an add). Median of --runs runs after a warm-up; peak memory from wait4.

    bench.py --lbib build/release/cmd/lbib --sizes 1000 10000 100000 [--runs 5]

Prints a Markdown table (the one in docs/performance.md).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

MATCH_SQL = """WITH fits AS (SELECT DISTINCT x.expert_id AS id FROM request_experience w JOIN experience x
 ON x.area = w.area AND (w.role IS NULL OR w.role = x.role) WHERE w.request_id = {req})
SELECT e.id, e.name, e.email,
 (SELECT count(*) FROM invitation i WHERE i.expert_id = e.id),
 (SELECT count(*) FROM loan_participant p WHERE p.expert_id = e.id)
FROM expert e WHERE e.status = 'active' AND EXISTS (SELECT 1 FROM consent c WHERE c.expert_id = e.id
 AND c.purpose = 'mailing' AND c.withdrawn_on IS NULL) AND e.id IN fits ORDER BY e.id;"""


def run(argv, env):
    """Wall time and peak resident memory (KiB) of one process."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"{argv[:4]} exited {p.returncode}: {p.stderr.read().decode()[:300]}")
    return elapsed, usage.ru_maxrss


def measure(argv, env, runs, setup=None):
    if setup:
        setup()
    run(argv, env)  # warm-up
    times, peak = [], 0
    for _ in range(runs):
        if setup:
            setup()
        t, m = run(argv, env)
        times.append(t)
        peak = max(peak, m)
    return statistics.median(times), peak


def make_taskwarrior(directory, size):
    """A taskwarrior 2.6 data directory with one pending task per expert, tagged like the
    experts' areas, written in its own file format (far quicker than `task import`)."""
    import uuid
    data = directory / "data"
    data.mkdir(parents=True)
    areas = ["dementia", "diabetes", "home-care", "dental-care", "psychiatry", "primary-care"]
    with open(directory / "pending.data.orig", "w") as f:
        for i in range(size):
            f.write(f'[description:"Expert {i}" entry:"1700000000" modified:"1700000000" status:"pending" '
                    f'tags:"{areas[i % len(areas)]}" uuid:"{uuid.UUID(int=i + 1)}"]\n')
    shutil.copy(directory / "pending.data.orig", data / "pending.data")
    rc = directory / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.2\n")
    return rc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lbib", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    sqlite3 = shutil.which("sqlite3")
    work = Path(tempfile.mkdtemp(prefix="lbib-bench-"))
    os.chmod(work, 0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
    env["HOME"] = str(work)
    task = shutil.which("task")
    print("| experts | command | lbib ms | lbib peak MiB | sqlite3 ms | lbib ÷ sqlite3 | task ms | task ÷ lbib |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    try:
        for size in a.sizes:
            db = work / f"r{size}.sqlite"
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--experts", str(size), "--db", str(db),
                            "--lbib", a.lbib], check=True, stdout=subprocess.DEVNULL)
            e = dict(env, LBIB_DB=str(db))
            req = size * 5 // 100 * 10 // 2
            out = work / "out"
            out.mkdir(exist_ok=True)
            copy = work / "copy.sqlite"

            def fresh_copy():
                shutil.copy(db, copy)
                os.chmod(copy, 0o600)

            def fresh_out():
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                fresh_copy()

            dispatched = subprocess.run([sqlite3, str(db), "SELECT min(id) FROM request WHERE state = 'dispatched'"],
                                        capture_output=True, text=True, check=True).stdout.strip()
            taskrc = make_taskwarrior(work / f"task{size}", size) if task else None
            task_env = dict(env, TASKRC=str(taskrc)) if task else None

            def fresh_tasks():
                shutil.copy(taskrc.parent / "pending.data.orig", taskrc.parent / "data" / "pending.data")

            cases = [
                ("--version", [a.lbib, "--version"], [sqlite3, ":memory:", "select 1"], None),
                ("--help", [a.lbib, "--help"], [sqlite3, ":memory:", "select 1"], None),
                ("expert list --area dementia --format json",
                 [a.lbib, "expert", "list", "--area", "dementia", "--format", "json"],
                 [sqlite3, "-json", str(db), "SELECT e.id, e.name, e.email, e.municipality, e.status FROM expert e "
                  "WHERE EXISTS (SELECT 1 FROM experience x WHERE x.expert_id = e.id AND x.area = 'dementia')"], None,
                 ([task, "+dementia", "count"], None)),
                (f"match REQ --format json", [a.lbib, "match", str(req), "--format", "json"],
                 [sqlite3, "-json", str(db), MATCH_SQL.format(req=req)], None),
                ("dispatch REQ --out DIR", [a.lbib, "--db", str(copy), "dispatch", dispatched, "--out", str(out),
                                            "--past-reply-by"],
                 [sqlite3, "-json", str(copy), MATCH_SQL.format(req=dispatched)], fresh_out),
                ("report yearly", [a.lbib, "report", "yearly"],
                 [sqlite3, str(db), "SELECT substr(interviewed_on,1,4), count(*) FROM expert GROUP BY 1; "
                  "SELECT substr(received_on,1,4), count(*) FROM request GROUP BY 1; "
                  "SELECT substr(carried_out_on,1,4), count(*) FROM loan GROUP BY 1;"], None),
                ("report requests --format csv", [a.lbib, "report", "requests", "--format", "csv"],
                 [sqlite3, "-csv", str(db), "SELECT r.id, r.received_on, b.organisation, r.purpose, "
                  "EXISTS (SELECT 1 FROM dispatch d WHERE d.request_id = r.id), l.form, "
                  "(SELECT count(*) FROM loan_participant p WHERE p.request_id = r.id) FROM request r "
                  "JOIN borrower b ON b.id = r.borrower_id LEFT JOIN loan l ON l.request_id = r.id ORDER BY r.received_on"],
                 None),
                # The summary (counts by kind and month), and every item (--all), against the same SQL.
                *[(f"remind {flags}--format json", [a.lbib, "remind", *flags.split(), "--today", "2026-06-01",
                                                    "--format", "json"],
                   [sqlite3, "-json", str(db), "SELECT id, received_on FROM request WHERE state = 'received'; "
                    "SELECT request_id, held_on FROM followup WHERE summary_sent_on IS NULL; "
                    "SELECT e.id, max(c.given_on) FROM expert e JOIN consent c ON c.expert_id = e.id GROUP BY e.id "
                    "HAVING max(c.given_on) < '2023-06-01';"], None) for flags in ("", "--all ")],
                ("expert export ID", [a.lbib, "expert", "export", str(size // 2)],
                 [sqlite3, "-json", str(db), f"SELECT * FROM expert WHERE id = {size // 2}; "
                  f"SELECT * FROM experience WHERE expert_id = {size // 2}; SELECT * FROM invitation WHERE expert_id = {size // 2};"],
                 None),
                ("recruit", [a.lbib, "--db", str(copy), "recruit", "--name", "Ny Person", "--email", "ny@example.se",
                             "--channel", "website", "--consent", "register,mailing", "--experience", "relative:dementia"],
                 [sqlite3, str(copy), "BEGIN IMMEDIATE; INSERT INTO expert (name, email, channel, interviewed_on) "
                  "VALUES ('Ny Person', 'ny@example.se', 'website', '2026-01-01'); INSERT INTO experience "
                  "(expert_id, role, area, magnitude) VALUES (last_insert_rowid(), 'relative', 'dementia', 'major'); COMMIT;"],
                 fresh_copy, ([task, "add", "Ny Person", "+dementia"], "fresh")),
                ("export --all", [a.lbib, "export", "--all"], [sqlite3, str(db), ".dump"], None),
            ]
            for name, lbib_argv, sqlite_argv, setup, *peer in cases:
                lt, lm = measure(lbib_argv, e, a.runs, setup)
                st, _ = measure(sqlite_argv, e, a.runs, setup)
                task_cells = "| | |"
                if peer and task:
                    task_argv, task_setup = peer[0]
                    tt, _ = measure(task_argv, task_env, a.runs, fresh_tasks if task_setup else None)
                    task_cells = f"| {tt * 1000:.1f} | {tt / lt:.1f} |"
                print(f"| {size:,} | `{name}` | {lt * 1000:.1f} | {lm / 1024:.1f} | {st * 1000:.1f} | {lt / st:.2f} "
                      + task_cells, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
