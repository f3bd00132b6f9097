#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Several lbib processes writing at once (two contact persons and cron): every write lands,
or fails cleanly with exit code 75 and changes nothing.

    concurrency.py [--writers 4] [--writes 500]

Prints the figures and exits non-zero unless every write committed or failed cleanly, and
the register holds exactly the committed ones.
"""
import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from harness import Register, recruit_args
import subprocess


def writer(reg, w, writes):
    committed, busy, errors = 0, 0, []
    for i in range(writes):
        p = subprocess.run(reg.argv(*recruit_args(f"Skrivare {w} nr {i}", f"w{w}.n{i}@example.se")),
                           capture_output=True, text=True, env=reg.env, timeout=120)
        if p.returncode == 0:
            committed += 1
        elif p.returncode == 75 and p.stderr.startswith("lbib: error: ") and p.stderr.count("\n") == 1:
            busy += 1
        else:
            errors.append((p.returncode, p.stderr.strip()))
    return committed, busy, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--writes", type=int, default=500)
    a = ap.parse_args()
    with Register() as reg:
        start = time.monotonic()
        with ThreadPoolExecutor(a.writers) as pool:
            results = list(pool.map(lambda w: writer(reg, w, a.writes), range(a.writers)))
        elapsed = time.monotonic() - start
        committed = sum(r[0] for r in results)
        busy = sum(r[1] for r in results)
        errors = [e for r in results for e in r[2]]
        experts = reg.query("SELECT count(*) FROM expert")[0][0]
        experiences = reg.query("SELECT count(*) FROM experience")[0][0]
        check = reg.run("check", check=False)
        expected = a.writers * a.writes
        print(f"writers x writes: {a.writers} x {a.writes} = {expected}")
        print(f"committed: {committed}/{expected}; clean busy failures (75): {busy}; other errors: {len(errors)}")
        print(f"rows: experts {experts}, experiences {experiences} (3 per expert); check: {check.stdout.strip()}")
        print(f"elapsed: {elapsed:.1f} s ({expected / elapsed:.0f} writes/s)")
        for e in errors[:5]:
            print("error:", e)
        ok = (not errors and committed + busy == expected and experts == committed
              and experiences == 3 * committed and check.returncode == 0)
        print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
