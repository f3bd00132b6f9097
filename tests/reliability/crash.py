#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kills lbib with SIGKILL at random moments during a write workload and checks, after every
kill, that the register is intact, that no write lbib reported as done is lost, and that no
write is half-applied.

    crash.py [--trials 200] [--seed 1]

Each trial starts a recruitment (expert, three experiences, two consents, an audit entry in
one transaction) or a request (request, wanted experiences, an event, an audit entry) and
kills it after a random 0-12 ms. Figures: trials, corrupt (lbib check fails), torn (a
write present in part), lost (a write acknowledged with exit 0 but missing).
"""
import argparse
import random
import signal
import subprocess
import sys
import time

from harness import Register, recruit_args


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    corrupt = torn = lost = killed = completed = 0
    with Register() as reg:
        borrower = reg.run("borrower", "add", "--organisation", "Region Exempel", "--contact-name", "K",
                           "--contact-email", "k@example.se").stdout.strip()
        acknowledged_experts, acknowledged_requests = set(), set()
        for trial in range(a.trials):
            if trial % 2 == 0:
                name = f"Krasch {trial}"
                args = recruit_args(name, f"k{trial}@example.se")
            else:
                name = f"Syfte {trial}"
                args = ["request", "new", "--borrower", borrower, "--purpose", name, "--form", "workshop",
                        "--want", "dementia", "--want", "relative:elderly-care", "--received", "2026-02-01"]
            p = subprocess.Popen(reg.argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=reg.env)
            time.sleep(rnd.uniform(0, 0.012))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                killed += 1
            p.wait()
            if p.returncode == 0:
                completed += 1
                (acknowledged_experts if trial % 2 == 0 else acknowledged_requests).add(name)
            if reg.run("check", check=False).stdout.strip() != "ok":
                corrupt += 1
            # Torn: a write whose rows are present only in part.
            torn_experts = reg.query(
                "SELECT e.id FROM expert e WHERE (SELECT count(*) FROM experience x WHERE x.expert_id = e.id) <> 3 "
                "OR (SELECT count(*) FROM consent c WHERE c.expert_id = e.id) <> 2 "
                "OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'expert' AND a.entity_id = e.id)")
            torn_requests = reg.query(
                "SELECT r.id FROM request r WHERE (SELECT count(*) FROM request_experience w WHERE w.request_id = r.id) <> 2 "
                "OR NOT EXISTS (SELECT 1 FROM request_event v WHERE v.request_id = r.id) "
                "OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.entity = 'request' AND a.entity_id = r.id)")
            torn = max(torn, len(torn_experts) + len(torn_requests))
        names = {row[0] for row in reg.query("SELECT name FROM expert")}
        purposes = {row[0] for row in reg.query("SELECT purpose FROM request")}
        lost = len(acknowledged_experts - names) + len(acknowledged_requests - purposes)
        print(f"trials: {a.trials} (SIGKILL sent: {killed}; exited 0 before the signal took: {completed})")
        print(f"corrupt: {corrupt}, torn: {torn}, lost: {lost}")
        ok = corrupt == 0 and torn == 0 and lost == 0
        print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
