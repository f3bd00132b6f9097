#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The memory `lbib import` needs for a large hand-over file: a synthetic register
(generate.py) is exported with `lbib export --all` and imported into a new register under
/usr/bin/time -v; prints the file's size, the import's peak resident memory and its time.
A benchmark that reports figures, never a timed test.

    import_memory.py --lbib build/release/cmd/lbib [--experts 100000] [--limit-mib 64]

With --limit-mib the exit code also says whether the measured peak stayed within that many MiB.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measured(command, env):
    """Runs `command` under /usr/bin/time -v: (the completed process, its seconds, its peak
    resident memory in KiB, or None when it failed)."""
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, env=env)
    seconds = time.monotonic() - start
    if p.returncode != 0:
        return p, seconds, None
    return p, seconds, int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lbib", required=True)
    ap.add_argument("--experts", type=int, default=100000)
    ap.add_argument("--limit-mib", type=float, default=0)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lbib-import-mem-"))
    os.chmod(work, 0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
    env.update(HOME=str(work), LC_ALL="C.UTF-8")
    try:
        db = work / "register.sqlite"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--experts", str(a.experts), "--db", str(db),
                        "--lbib", a.lbib], check=True, env=env, stdout=subprocess.DEVNULL)
        export = work / "export.json"
        subprocess.run([a.lbib, "--db", db, "export", "--all", "--out", export], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        size = export.stat().st_size
        p, seconds, rss_kib = measured([a.lbib, "--db", work / "new.sqlite", "import", export], env)
        if rss_kib is None:
            print(p.stderr, file=sys.stderr)
            return 1
        print(f"| {a.experts:,} experts | {size / 1e6:.1f} MB | {rss_kib / 1024:.1f} MiB | {seconds:.1f} s |")
        if a.limit_mib and rss_kib / 1024 > a.limit_mib:
            print(f"peak RSS {rss_kib / 1024:.1f} MiB is above {a.limit_mib} MiB", file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
