#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""events-to-listmonk.py - feed bounce-milter's event log to a mailing program.

Takes the event log the way the daemon expects (rename it away, flock the
renamed file so an append in flight finishes, read it, delete it), then for
each event:

  listmonk   POST {"email", "source", "type": hard|soft|complaint, "meta"}
             to its bounce webhook (/webhooks/bounce), basic auth with an
             API user that has the webhooks:post_bounce permission;
             listmonk keeps the counts and acts on its own thresholds.
  mailman    for a hard bounce that bounce-milter listed, find the member
             (GET /3.1/members/find?subscriber=...) and set its delivery
             status to by_bounces (PATCH .../preferences), which stops mail
             to it on every list, Mailman 3 REST API.

Soft bounces and escalations reach listmonk as "soft"/"hard"; complaints
(kind "feedback") as "complaint".  Auto-replies are skipped.  A failed post
stops the run and leaves the unsent events in the taken file (*.taken),
which the next run sends first: nothing is lost; an event may be sent twice
after a crash.  Best-effort example, see contrib/README.

  events-to-listmonk.py --events /var/lib/bounce-milter/events.jsonl \\
      listmonk --url https://lists.example.com --user api --password-file F
  events-to-listmonk.py --events ... mailman --url http://localhost:8001 \\
      --user restadmin --password-file F
  add --dry-run to print what would be sent.
"""
import argparse
import base64
import fcntl
import json
import os
import sys
import urllib.parse
import urllib.request


def take(path):
    """Rename the log away (unless an earlier run left one) and wait for
    appends in flight; returns the taken path or None."""
    taken = path + ".taken"
    if not os.path.exists(taken):
        try:
            os.rename(path, taken)
        except FileNotFoundError:
            return None
    with open(taken, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # the daemon appends under flock
        fcntl.flock(f, fcntl.LOCK_UN)
    return taken


def request(args, method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with open(args.password_file) as pf:
        secret = pf.readline().strip()
    token = base64.b64encode(f"{args.user}:{secret}".encode()).decode()
    req.add_header("Authorization", "Basic " + token)
    if args.dry_run:
        print(method, url, json.dumps(body) if body is not None else "")
        return {}
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
        return json.loads(text) if text else {}


def to_listmonk(args, ev):
    if ev["kind"] == "auto-reply":
        return
    if ev["kind"] == "feedback":
        kind = "complaint"
    elif ev["class"] == "hard" or ev["why"] == "escalated":
        kind = "hard"
    elif ev["class"] in ("soft", "block", "undetermined"):
        kind = "soft"
    else:
        return
    meta = {k: ev[k] for k in ("status", "reason", "queue_id", "message_id", "list_id",
                               "diagnostic", "why")}
    request(args, "POST", args.url.rstrip("/") + "/webhooks/bounce",
            {"email": ev["recipient"], "source": "bounce-milter", "type": kind,
             "meta": meta})


def to_mailman(args, ev):
    if not ev["listed"] or ev["kind"] != "bounce":
        return
    base = args.url.rstrip("/") + "/3.1"
    q = urllib.parse.urlencode({"subscriber": ev["recipient"]})
    found = request(args, "GET", f"{base}/members/find?{q}")
    for m in found.get("entries", []):
        request(args, "PATCH", f"{base}/members/{m['member_id']}/preferences",
                {"delivery_status": "by_bounces"})


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", required=True, help="the daemon's eventlog.file")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("target", choices=("listmonk", "mailman"))
    p.add_argument("--url", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password-file", required=True)
    args = p.parse_args()
    send = to_listmonk if args.target == "listmonk" else to_mailman

    taken = take(args.events)
    if taken is None:
        return 0
    with open(taken, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    for i, line in enumerate(lines):
        try:
            ev = json.loads(line)
        except ValueError:
            continue  # a torn line (a crash mid-write): never trusted
        try:
            send(args, ev)
        except Exception as e:  # keep what is left for the next run
            print(f"events-to-listmonk: {e}; {len(lines) - i} events kept in {taken}",
                  file=sys.stderr)
            tmp = taken + ".tmp"
            with open(tmp, "w", encoding="utf-8") as out:
                out.writelines(lines[i:])
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, taken)
            return 1
    if not args.dry_run:
        os.unlink(taken)
    return 0


if __name__ == "__main__":
    sys.exit(main())
