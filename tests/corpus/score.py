#!/usr/bin/env python3
"""score.py - score bounce-classify's TSV against the bounce corpus labels.

usage: score.py RUNNER_TSV [--labels LABELS_TSV] [--recipients OBSERVED_TSV]
                [--figures] [--require KEY=MIN ...]

RUNNER_TSV ("-" for standard input) is `bounce-classify -o tsv` output: a
header row, then one row per recipient result with at least the columns
file, recipient, status, reason and class.  LABELS_TSV defaults to
bounces/labels.tsv beside this script, OBSERVED_TSV to
observed-recipients.tsv beside the labels (see bounces/README.md).

The figures are defined as in the project's reference scorer
(../shared/tools/score); tests/corpus-check.sh checks that both give the
same numbers on the same TSV when ../shared is there:

  detect          bounce files (a label row with bounce hard or soft) that
                  have a runner row of class hard or soft
  recipient       hard/soft label rows with an observed address whose
                  address the runner reported (recipient, or its
                  final_recipient / original_recipient column)
  status          hard/soft label rows with a status whose paired runner
                  row has that exact status; status_in: the same over the
                  rows whose status occurs in the message
  class           hard/soft label rows whose paired runner row has the same
                  class, reading block and undetermined as soft and
                  auto-reply, feedback and none as none
  reason          hard/soft label rows whose paired row has the same reason
  hard_precision  runner rows called hard whose label is hard
  hard_recall     label rows that are hard and called hard
  fp              label files that are no bounce but were detected as one
                  (--require fp=MAX: at most MAX of them)

Pairing, per file: only label rows of message 1 count (the two mbox files
of the corpus hold a second message whose rows are left out); runner rows
of another message (a `message` column other than 1) are left out too.  A
runner row takes part when it names a recipient or has a class other than
none.  Label rows are matched to runner rows by address first (ignoring
case and angle brackets), then the remaining ones in order; a label row
left alone is scored as class none with no status.

--require KEY=MIN exits 1 unless the figure reaches MIN percent.
--figures prints one `key=value` line per figure (for comparisons).
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABEL_CLASS = {"hard": "hard", "soft": "soft", "block": "soft",
               "undetermined": "soft"}
KEYS = ("detect", "recipient", "status", "status_in", "class", "reason",
        "hard_precision", "hard_recall")


def load_tsv(path):
    """Rows of a headed, tab-separated file as dicts (short rows padded)."""
    if path == "-":
        text = sys.stdin.buffer.read().decode("utf-8", "replace")
    else:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
    lines = [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]
    if not lines or not lines[0]:
        return []
    names = lines[0].split("\t")
    out = []
    for line in lines[1:]:
        if line == "":
            continue
        cells = line.split("\t")
        cells.extend([""] * (len(names) - len(cells)))
        out.append(dict(zip(names, cells)))
    return out


def address(value):
    return (value or "").strip().strip("<>").strip().lower()


def share(num, den):
    return 100.0 * num / den if den else 100.0


class Scores:
    def __init__(self, labels_path, observed_path, runner_path):
        self.labels_path = labels_path
        observed = {}
        if os.path.exists(observed_path):
            for r in load_tsv(observed_path):
                key = (os.path.basename(r["file"]), r["message"], r["index"])
                observed[key] = address(r["recipient"])
        else:
            sys.stderr.write("score.py: %s missing: recipients not scored\n"
                             % observed_path)
        self.observed_by_file = {}
        for (name, _msg, _idx), addr in observed.items():
            self.observed_by_file.setdefault(name, set()).add(addr)

        self.expected = {}          # file -> label rows of message 1
        self.order = []
        self.left_out = 0
        for r in load_tsv(labels_path):
            name = os.path.basename(r["file"])
            if name not in self.expected:
                self.expected[name] = []
                self.order.append(name)
            if r["message"] != "1":
                self.left_out += 1
                continue
            r["addr"] = observed.get((name, r["message"], r["index"]), "")
            self.expected[name].append(r)
        for rows in self.expected.values():
            rows.sort(key=lambda r: int(r["index"] or 0))

        self.runner = {}            # file -> runner rows that take part
        self.runner_files = set()
        for r in load_tsv(runner_path):
            name = r.get("file", "")
            self.runner_files.add(name)
            if (r.get("message") or "1") != "1":
                continue
            cls = (r.get("class") or "none").strip().lower()
            r["cls"] = LABEL_CLASS.get(cls, "none")
            r["addr"] = address(r.get("recipient"))
            r["alts"] = set(a for a in (address(r.get("final_recipient")),
                                        address(r.get("original_recipient")))
                            if a)
            r["status"] = (r.get("status") or "").strip()
            if r["addr"] or r["cls"] != "none":
                self.runner.setdefault(name, []).append(r)
        self._pair()
        self._figures()

    def _pair(self):
        self.pairs = []             # (file, label row, runner row or None, by address)
        self.extra = 0
        for name in self.order:
            labels = self.expected[name]
            got = self.runner.get(name, [])
            taken = set()
            match = {}
            for i, e in enumerate(labels):
                if not e["addr"]:
                    continue
                for j, p in enumerate(got):
                    if j in taken or not p["addr"]:
                        continue
                    if p["addr"] == e["addr"] or e["addr"] in p["alts"]:
                        taken.add(j)
                        match[i] = (p, True)
                        break
            rest = [j for j in range(len(got)) if j not in taken]
            for i in range(len(labels)):
                if i not in match and rest:
                    j = rest.pop(0)
                    taken.add(j)
                    match[i] = (got[j], False)
            for i, e in enumerate(labels):
                p, by_addr = match.get(i, (None, False))
                self.pairs.append((name, e, p, by_addr))
            known = set(e["addr"] for e in labels if e["addr"])
            known |= self.observed_by_file.get(name, set())
            for p in got:
                if (p["cls"] in ("hard", "soft") and p["addr"] and
                        p["addr"] not in known and not (p["alts"] & known)):
                    self.extra += 1

    def _figures(self):
        def is_bounce(name):
            return any(e["bounce"] in ("hard", "soft") for e in self.expected[name])

        def detected(name):
            return any(p["cls"] in ("hard", "soft") for p in self.runner.get(name, []))

        bounces = [n for n in self.order if is_bounce(n)]
        others = [n for n in self.order if not is_bounce(n)]
        self.n_bounce = len(bounces)
        self.n_detected = sum(1 for n in bounces if detected(n))
        self.n_other = len(others)
        self.fp_files = [n for n in others if detected(n)]
        failing = [(e, p, m) for (_n, e, p, m) in self.pairs
                   if e["bounce"] in ("hard", "soft")]
        self.n_failing = len(failing)
        with_addr = [(e, m) for (e, _p, m) in failing if e["addr"]]
        with_status = [(e, p) for (e, p, _m) in failing if e["status"]]
        status_in = [(e, p) for (e, p) in with_status
                     if e.get("status_in_message") == "yes"]

        def same_status(rows):
            return sum(1 for (e, p) in rows if p is not None and p["status"] == e["status"])
        cls_ok = sum(1 for (e, p, _m) in failing
                     if (p["cls"] if p is not None else "none") == e["bounce"])
        reason_ok = sum(1 for (e, p, _m) in failing
                        if p is not None and p.get("reason", "") == e["reason"])
        said_hard = sum(1 for (_n, _e, p, _m) in self.pairs
                        if p is not None and p["cls"] == "hard")
        is_hard = sum(1 for (_n, e, _p, _m) in self.pairs if e["bounce"] == "hard")
        both_hard = sum(1 for (_n, e, p, _m) in self.pairs
                        if e["bounce"] == "hard" and p is not None and p["cls"] == "hard")
        self.counts = {
            "detect": (self.n_detected, self.n_bounce),
            "recipient": (sum(1 for (_e, m) in with_addr if m), len(with_addr)),
            "status": (same_status(with_status), len(with_status)),
            "status_in": (same_status(status_in), len(status_in)),
            "class": (cls_ok, self.n_failing),
            "reason": (reason_ok, self.n_failing),
            "hard_precision": (both_hard, said_hard),
            "hard_recall": (both_hard, is_hard),
        }
        self.figures = dict((k, share(*v)) for k, v in self.counts.items())

    def report(self, name):
        print("score.py: %s against %s" % (name, self.labels_path))
        print("  files: %d labelled, %d in the runner output; %d label rows scored "
              "(%d rows of a second message left out)"
              % (len(self.order), len(self.runner_files), len(self.pairs), self.left_out))
        for key in KEYS:
            num, den = self.counts[key]
            print("  %-15s %5.1f%% (%d/%d)" % (key, self.figures[key], num, den))
        print("  fp              %d of %d non-bounce files detected as bounces%s"
              % (len(self.fp_files), self.n_other,
                 (": " + " ".join(self.fp_files)) if self.fp_files else ""))
        print("  extra           %d hard/soft recipients that no label names" % self.extra)

    def shortfalls(self, requirements):
        short = []
        for req in requirements:
            key, sep, val = req.partition("=")
            try:
                limit = float(val)
            except ValueError:
                sys.exit("score.py: bad --require %r" % req)
            if not sep:
                sys.exit("score.py: bad --require %r" % req)
            if key == "fp":
                if len(self.fp_files) > limit:
                    short.append("fp: %d non-bounce files detected, at most %s allowed"
                                 % (len(self.fp_files), val))
            elif key in self.figures:
                if self.figures[key] < limit:
                    short.append("%s: %.1f%% < %s%%" % (key, self.figures[key], val))
            else:
                sys.exit("score.py: unknown --require key %r" % key)
        return short


def main():
    ap = argparse.ArgumentParser(description="score bounce-classify TSV output")
    ap.add_argument("runner_tsv")
    ap.add_argument("--labels", default=os.path.join(HERE, "bounces", "labels.tsv"))
    ap.add_argument("--recipients", default=None)
    ap.add_argument("--figures", action="store_true")
    ap.add_argument("--require", action="append", default=[], metavar="KEY=MIN")
    args = ap.parse_args()
    observed = args.recipients or os.path.join(os.path.dirname(args.labels),
                                               "observed-recipients.tsv")
    s = Scores(args.labels, observed, args.runner_tsv)
    if args.figures:
        for key in KEYS:
            print("%s=%.1f" % (key, s.figures[key]))
        print("fp=%d" % len(s.fp_files))
    else:
        s.report(os.path.basename(args.runner_tsv))
    short = s.shortfalls(args.require)
    for line in short:
        print("score.py: below requirement: " + line)
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
