#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""smtp-load.py - sends numbered hard bounces over SMTP, as a real MTA would.

Message i (FIRST <= i < FIRST+COUNT) is the DSN template with its failed
recipient (--placeholder) replaced by RCPT_FMT % i and its Message-ID made
unique.  CONNS threads share the work; each keeps its SMTP session for up
to PER_CONN messages.  A 4xx reply or a lost connection counts as a
temporary failure: with --retry SECONDS the message is sent again (on a new
connection, after a short pause) until that deadline, as an MTA retries a
deferred message; without it the message counts as failed.  A 5xx is a
permanent failure (never retried).  --delay SECONDS paces each thread
after every accepted message (so a fast machine still gives the test time
to act during the load).  Optional --hook-at K --hook CMD runs CMD (through
sh) once, after K messages were accepted, while the load goes on.

Prints one summary line: sent=.. accepted=.. temp_failures=.. perm_failures=..
conn_errors=.. seconds=.. msgs_per_s=..; --results FILE gets "i code" for
every final outcome.  Exit status 0 only when every message was accepted.
"""
import argparse
import smtplib
import socket
import subprocess
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--template", required=True)
    ap.add_argument("--placeholder", default="alice.gone@remote.test")
    ap.add_argument("--rcpt-fmt", default="user%05d@remote.test")
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--conns", type=int, default=4)
    ap.add_argument("--per-conn", type=int, default=20)
    ap.add_argument("--retry", type=float, default=0.0)
    ap.add_argument("--pause", type=float, default=0.2)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--helo", default="mx.remote.test")
    ap.add_argument("--to", default="bounces@sink.test")
    ap.add_argument("--results")
    ap.add_argument("--hook-at", type=int, default=-1)
    ap.add_argument("--hook")
    ap.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()

    with open(a.template, encoding="utf-8") as f:
        tpl = f.read()
    if tpl.startswith("From "):
        tpl = tpl.split("\n", 1)[1]
    if a.placeholder not in tpl:
        sys.exit("smtp-load: placeholder %s not in %s" % (a.placeholder, a.template))

    lock = threading.Lock()
    todo = list(range(a.first, a.first + a.count))
    todo.reverse()
    st = {"accepted": 0, "temp": 0, "perm": 0, "conn": 0, "failed": 0}
    results = {}
    hook_done = threading.Event()
    hook_proc = []
    deadline = time.monotonic() + a.retry

    def message(i):
        rcpt = a.rcpt_fmt % i
        body = tpl.replace(a.placeholder, rcpt)
        body = body.replace("Message-ID: <", "Message-ID: <n%d-" % i, 1)
        return body.encode("utf-8")

    def next_item():
        with lock:
            return todo.pop() if todo else None

    def finish(i, code, ok):
        with lock:
            results[i] = code
            if ok:
                st["accepted"] += 1
                if (a.hook and not hook_done.is_set() and
                        st["accepted"] >= a.hook_at >= 0):
                    hook_done.set()
                    hook_proc.append(subprocess.Popen(["sh", "-c", a.hook]))
            else:
                st["failed"] += 1

    def temp(i, code):
        """A temporary failure: requeue while the retry deadline allows."""
        with lock:
            st["temp"] += 1
            if a.retry > 0 and time.monotonic() < deadline:
                todo.insert(0, i)
                return True
        finish(i, code, False)
        return False

    def worker():
        s = None
        sent_here = 0
        while True:
            i = next_item()
            if i is None:
                break
            code = 0
            try:
                if s is None:
                    s = smtplib.SMTP(a.host, a.port, local_hostname=a.helo,
                                     timeout=a.timeout)
                    code, _ = s.ehlo(a.helo)
                    if code != 250:
                        raise smtplib.SMTPResponseException(code, b"ehlo")
                    sent_here = 0
                code, _ = s.mail("")
                if code == 250:
                    code, _ = s.rcpt(a.to)
                if code == 250:
                    code, _ = s.data(message(i))
            except smtplib.SMTPResponseException as e:
                code = e.smtp_code
            except (OSError, smtplib.SMTPException, socket.timeout):
                code = -1
            if code == 250:
                finish(i, code, True)
                sent_here += 1
                if a.delay > 0:
                    time.sleep(a.delay)
                if sent_here >= a.per_conn:
                    try:
                        s.quit()
                    except (OSError, smtplib.SMTPException):
                        pass
                    s = None
                continue
            # failed: drop the session (a tempfailed milter may be gone)
            if code == -1:
                with lock:
                    st["conn"] += 1
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass
                s = None
            if 500 <= code < 600:
                with lock:
                    st["perm"] += 1
                finish(i, code, False)
                continue
            if temp(i, code):
                time.sleep(a.pause)
        if s is not None:
            try:
                s.quit()
            except (OSError, smtplib.SMTPException):
                pass

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(a.conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.monotonic() - t0
    for p in hook_proc:
        p.wait()
    if a.results:
        with open(a.results, "w", encoding="utf-8") as f:
            for i in sorted(results):
                f.write("%d %d\n" % (i, results[i]))
    print("sent=%d accepted=%d temp_failures=%d perm_failures=%d conn_errors=%d "
          "seconds=%.2f msgs_per_s=%.1f" %
          (a.count, st["accepted"], st["temp"], st["perm"], st["conn"], secs,
           st["accepted"] / secs if secs > 0 else 0.0))
    sys.exit(0 if st["accepted"] == a.count else 1)


if __name__ == "__main__":
    main()
