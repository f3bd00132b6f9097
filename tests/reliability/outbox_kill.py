#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kills `lbib dispatch REQ --out DIR` with SIGKILL at random moments and checks what a send
script would find in DIR: every message there is whole (its body the same as in a run that
was not killed) and has its manifest beside it, with the same Message-ID. The outbox is synced
once for the whole batch (io::FileBatch), so this is the guarantee that must not weaken.

    outbox_kill.py [--trials 60] [--experts 3000] [--seed 1]

Even trials are killed at a random moment of the whole run (most of which is matching and
composing); odd trials inside the writing itself: once the hidden staging folder appears in
DIR, after a random part of the time the reference run spent writing (staging, the one sync,
the renames).

The register comes from tests/bench/generate.py. Figures: trials, killed before the end,
killed while writing (a staging folder was there when the signal was sent), messages seen,
torn (a message cut short or differing from the reference), orphans (a message without its
manifest), left staging folders (expected after a kill: hidden, never read by the scripts).
It fails unless some kills landed inside the writing.
"""
import argparse
import email
import email.policy
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness import Register

GENERATE = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def body_of(path):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return message["Message-ID"], message.get_content()


def staging_in(out):
    return any(name.startswith(".lbib-staging-") for name in os.listdir(out))


def wait_for_staging(p, out):
    """Returns when `out` holds a staging folder (True) or the process ended (False)."""
    while p.poll() is None:
        if staging_in(out):
            return True
        time.sleep(0.0002)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=60)
    ap.add_argument("--experts", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    with Register() as reg:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{reg.db}{suffix}"):
                os.remove(f"{reg.db}{suffix}")
        subprocess.run([sys.executable, str(GENERATE), "--experts", str(a.experts), "--db", str(reg.db),
                        "--lbib", reg.argv()[0]], check=True, env=reg.env, stdout=subprocess.DEVNULL)
        request = reg.query("SELECT min(id) FROM request WHERE state = 'dispatched'")[0][0]
        # The generated history lies in the past: mail its request anyway.
        command = ["dispatch", request, "--past-reply-by", "--out"]

        reference = reg.dir / "reference"
        reference.mkdir()
        start = time.monotonic()
        p = subprocess.Popen(reg.argv(*command, reference), stdout=subprocess.DEVNULL, env=reg.env)
        staged = start if not wait_for_staging(p, reference) else time.monotonic()
        if p.wait() != 0:
            print(f"the reference run exited {p.returncode}")
            return 1
        duration = time.monotonic() - start
        writing = max(time.monotonic() - staged, 0.001)
        bodies = {body_of(p)[1] for p in reference.glob("*.eml")}
        if len(bodies) != 1:
            print(f"the reference run wrote {len(bodies)} different bodies; expected one")
            return 1
        body = bodies.pop()
        per_run = len(list(reference.glob("*.eml")))

        killed = killed_writing = seen = torn = orphans = staging = 0
        for trial in range(a.trials):
            out = reg.dir / f"out{trial}"
            out.mkdir()
            p = subprocess.Popen(reg.argv(*command, out), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=reg.env)
            if trial % 2 == 0:
                time.sleep(rnd.uniform(0, duration * 1.2))
            elif wait_for_staging(p, out):
                time.sleep(rnd.uniform(0, writing))
            if p.poll() is None:
                writing_now = staging_in(out)
                p.send_signal(signal.SIGKILL)
                killed += 1
                killed_writing += writing_now
            p.wait()
            for eml in out.glob("*.eml"):
                seen += 1
                manifest = eml.with_suffix(".json")
                if not manifest.exists():
                    orphans += 1
                    continue
                try:
                    message_id, content = body_of(eml)
                    expected = "<" + json.loads(manifest.read_text())["message_id"] + ">"
                    if content != body or message_id != expected:
                        torn += 1
                except (ValueError, KeyError, UnicodeDecodeError):
                    torn += 1
            staging += len(list(out.glob(".lbib-staging-*")))
            shutil.rmtree(out)
        print(f"trials: {a.trials} (SIGKILL sent: {killed}, {killed_writing} of them while writing); "
              f"a whole run writes {per_run} messages in {duration * 1000:.0f} ms, "
              f"{writing * 1000:.0f} ms of it writing")
        print(f"messages seen after the trials: {seen}; torn: {torn}; without manifest: {orphans}; "
              f"staging folders left by killed runs: {staging}")
        ok = torn == 0 and orphans == 0 and killed > 0 and killed_writing > 0
        print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
