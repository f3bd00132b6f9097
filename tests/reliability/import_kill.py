#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kills `lbib import` with SIGKILL at random moments and checks that nothing a later run
trips on is left: after every kill the target either does not exist or is the complete
register (`lbib check` ok, every row there), and the next import into the same target
succeeds and removes the temporary files the killed one left.

    import_kill.py [--trials 40] [--experts 3000] [--seed 1]

The export comes from a synthetic register (tests/bench/generate.py). Figures: trials,
killed mid-import, targets left (complete / incomplete), stale temporary files seen and
left after the next import, next imports that failed.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness import Register

GENERATE = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--experts", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    with Register() as reg:
        os.remove(reg.db)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{reg.db}{suffix}"):
                os.remove(f"{reg.db}{suffix}")
        subprocess.run([sys.executable, str(GENERATE), "--experts", str(a.experts), "--db", str(reg.db),
                        "--lbib", reg.argv()[0]], check=True, env=reg.env, stdout=subprocess.DEVNULL)
        export = reg.dir / "export.json"
        reg.run("export", "--all", "--out", export)
        # Rows per table; the audit log gains the import's and the check export's own entries.
        count_rows = lambda doc: {name: len(t) for name, t in doc["tables"].items() if name != "audit"}
        given = count_rows(json.loads(export.read_text()))
        rows = sum(given.values())
        start = time.monotonic()
        reg.run("--db", reg.dir / "timing.sqlite", "import", export)
        full = time.monotonic() - start
        target_dir = reg.dir / "targets"
        target_dir.mkdir()
        killed = complete = incomplete = stale_seen = stale_left = next_failed = 0
        for trial in range(a.trials):
            target = target_dir / "register.sqlite"
            p = subprocess.Popen(reg.argv("--db", target, "import", export), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, env=reg.env)
            time.sleep(rnd.uniform(0, full * 2))  # some finish before the kill
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                killed += 1
            p.wait()
            if target.exists():
                ok = reg.run("--db", target, "check", check=False).stdout.strip() == "ok"
                count = reg.run("--db", target, "export", "--all", check=False).stdout
                whole = ok and count_rows(json.loads(count)) == given
                complete += whole
                incomplete += not whole
            others = [f for f in os.listdir(target_dir) if f != "register.sqlite"]
            stale_seen += len(others)
            # The next import into the same target must neither trip nor leave them.
            for f in ("register.sqlite", "register.sqlite-wal", "register.sqlite-shm"):
                if (target_dir / f).exists():
                    os.remove(target_dir / f)
            r = reg.run("--db", target, "import", export, check=False)
            if r.returncode != 0:
                next_failed += 1
                print(f"trial {trial}: the next import failed: {r.stderr.strip()}", file=sys.stderr)
            stale_left += len([f for f in os.listdir(target_dir) if f != "register.sqlite"])
            if target.exists():
                os.remove(target)
        print(f"{a.trials} trials ({killed} killed mid-import, {rows} rows, an import takes "
              f"{full:.2f} s): targets left complete {complete}, incomplete {incomplete}; "
              f"stale temporary files seen {stale_seen}, left after the next import {stale_left}; "
              f"next imports failed {next_failed}")
        return 0 if incomplete == 0 and stale_left == 0 and next_failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
