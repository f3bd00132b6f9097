#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Whole-process timings of lbib beside two peers on the same machine: the sqlite3 shell
running lbib's own statements on the same register (the floor), and taskwarrior (Debian's `task`)
holding one task per expert, tagged with an area, doing the nearest thing it can (a filtered
count; an add). Median of --runs runs after a warm-up; peak memory from wait4.

The sqlite3 column: before timing a command, bench.py runs it once under replay_shim.so (built
here from replay_shim.cpp with the system's C++ compiler and LD_PRELOADed into lbib), which
writes every statement lbib runs through libsqlite3, in order and as many times as it runs
it, with the values lbib bound to it, as a script for the shell: `.parameter set` for each
value, then the statement's own text. The column is the sqlite3 shell running that script
(`sqlite3 -bail MODE REGISTER '.read SCRIPT'`) in the output mode nearest lbib's (-json for
JSON, -csv for CSV, -table for a text table): the same SQL with the same values, writing rows in
the same format, though not byte for byte (lbib's headings, translated values and CSV guard
are its own; lbib's own SQL functions sv_fold and the like become lower(), trim() and json_array(), its
collation sv NOCASE: SHELL_STAND_INS). Statements lbib runs once per item are run by the shell
once per item too, each parsed again (lbib prepares them once). Nothing of this is in lbib:
lbib never logs bound values (they may be personal data); the shim only runs on the bench's
invented registers.
`--version` and `--help` open no register; their column is `sqlite3 :memory: 'select 1'`.

    bench.py --lbib build/release/cmd/lbib --sizes 1000 10000 100000 [--runs 5]

Prints a Markdown table (the one in docs/performance.md).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

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


# lbib's own SQL functions and collation (lib/lbib/text/collate.cpp), which the shell lacks: in
# the replayed script each becomes the nearest built-in, a lighter one (so the floor is lower).
SHELL_STAND_INS = [(r"\bsv_fold_identity\(", "lower("), (r"\bsv_fold\(", "lower("), (r"\bsv_phone_digits\(", "trim("),
                   (r"\bsv_mention_keys\(", "json_array("),
                   (r"\bCOLLATE\s+sv\b", "COLLATE NOCASE")]


def build_shim(work):
    """replay_shim.so, built into `work` with the system's C++ compiler."""
    compiler = shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")
    if compiler is None:
        sys.exit("bench.py: no C++ compiler (c++, g++ or clang++) to build replay_shim.so")
    shim = work / "replay_shim.so"
    subprocess.run([compiler, "-std=c++17", "-O2", "-shared", "-fPIC", "-o", str(shim), str(HERE / "replay_shim.cpp"),
                    "-ldl", "-lsqlite3"], check=True)
    return shim


def capture_statements(argv, env, shim, script, setup=None):
    """Runs lbib once under the shim, which writes the statements it runs (with their values)
    to `script` for the sqlite3 shell."""
    if setup:
        setup()
    script.unlink(missing_ok=True)
    run(argv, dict(env, LD_PRELOAD=str(shim), LBIB_BENCH_REPLAY=str(script)))
    text = script.read_text() if script.exists() else ""
    if ";" not in text:
        raise RuntimeError(f"{argv[:4]}: the shim saw no statements (is libsqlite3 linked dynamically?)")
    for theirs, builtin in SHELL_STAND_INS:
        text = re.sub(theirs, builtin, text)
    script.write_text(text)


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
        shim = build_shim(work)
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

            # (name, lbib's argv, the shell's output mode, setup before each run, taskwarrior peer)
            cases = [
                ("expert list --area dementia --format json",
                 [a.lbib, "expert", "list", "--area", "dementia", "--format", "json"], "-json", None,
                 ([task, "+dementia", "count"], None)),
                ("match REQ --format json", [a.lbib, "match", str(req), "--format", "json"], "-json", None),
                ("dispatch REQ --out DIR", [a.lbib, "--db", str(copy), "dispatch", dispatched, "--out", str(out),
                                            "--past-reply-by"], "-json", fresh_out),
                ("report yearly", [a.lbib, "report", "yearly"], "-table", None),
                ("report requests --format csv", [a.lbib, "report", "requests", "--format", "csv"], "-csv", None),
                # The summary (counts by kind and month), and every item (--all).
                *[(f"remind {flags}--format json", [a.lbib, "remind", *flags.split(), "--today", "2026-06-01",
                                                    "--format", "json"], "-json", None) for flags in ("", "--all ")],
                ("expert export ID", [a.lbib, "expert", "export", str(size // 2)], "-json", None),
                ("recruit", [a.lbib, "--db", str(copy), "recruit", "--name", "Ny Person", "--email", "ny@example.se",
                             "--channel", "website", "--consent", "register,mailing", "--experience", "relative:dementia"],
                 "-list", fresh_copy, ([task, "add", "Ny Person", "+dementia"], "fresh")),
                ("export --all", [a.lbib, "export", "--all"], "-json", None),
            ]
            start_up = [(name, [a.lbib, name], [sqlite3, ":memory:", "select 1"], None) for name in ("--version", "--help")]
            replayed = []
            for n, (name, lbib_argv, mode, setup, *peer) in enumerate(cases):
                register = lbib_argv[lbib_argv.index("--db") + 1] if "--db" in lbib_argv else str(db)
                script = work / f"replay{size}-{n}.sql"
                capture_statements(lbib_argv, e, shim, script, setup)
                replayed.append((name, lbib_argv, [sqlite3, "-bail", mode, register, f".read {script}"], setup, *peer))
            for name, lbib_argv, sqlite_argv, setup, *peer in start_up + replayed:
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
