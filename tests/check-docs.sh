#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# check-docs.sh - the man pages, the sample config and the README say only
# what the code does (DESIGN: "a man page that says what the code does not
# is worse than none"; Postfix's mantools/check-postconf-undocumented does
# the same for its parameters).  It reads the sources, not the programs:
#
#  1. configuration options: the libconfuse schema in
#     src/daemon/conf*.c (every CFG_* of every section), the
#     conf_option_names list beside it, conf/bounce-milter.conf, every
#     option paragraph of man/bounce-milter.conf.5, and the options the
#     README's Configuration example sets;
#  2. command-line options: getopt()'s letters in src/daemon/main.c, the
#     OPTIONS of man/bounce-milter.8 and the README;
#  3. headers: the X-Bounce-* names the daemon adds and removes, the keys of
#     X-Bounce-Recipient and X-Bounce-Origin (src/daemon/report.c), and what
#     the README's "Headers it adds" and man/bounce-milter.8 show of them;
#  4. log keys: every key=value key of the per-recipient log line and the
#     other log_qid() lines, every reason a listing is refused for, and what
#     the README's Logging section and the LOGGING of bounce-milter.8 show;
#  5. paths: every file of the tree that the README, the man pages and the
#     sample config name is there.
# Each check goes both ways: nothing the code does is undocumented, nothing
# documented is missing from the code.  Prints every difference; exit 1 if any.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PYTHON=${PYTHON3:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
	echo "check-docs: SKIP: python3 is needed"
	exit 77
fi
exec "$PYTHON" - "$SRCDIR" <<'PYEOF'
import os
import re
import sys

top = sys.argv[1]
problems = []
checked = 0


def read(rel):
    with open(os.path.join(top, rel), encoding="utf-8") as fh:
        return fh.read()


def section(text, start, stop):
    """text from the line matching `start` up to the next matching `stop`."""
    m = re.search(start, text, re.M)
    if m is None:
        problems.append("no section %r" % start)
        return ""
    rest = text[m.end():]
    n = re.search(stop, rest, re.M)
    return rest[:n.start()] if n else rest


def same(what, code, docs, where):
    """Both ways: code without docs, docs without code."""
    global checked
    checked += 1
    for k in sorted(code - docs):
        problems.append("%s %r is in the code but not in %s" % (what, k, where))
    for k in sorted(docs - code):
        problems.append("%s %r is in %s but not in the code" % (what, k, where))


def covered(what, code, text, where, fmt):
    """Every code item appears in text as fmt % item."""
    global checked
    checked += 1
    for k in sorted(code):
        if (fmt % k) not in text:
            problems.append("%s %r is in the code but not in %s" % (what, k, where))


def unescape_man(text):
    return text.replace("\\-", "-").replace("\\(em", "-").replace("\\fR", "").replace(
        "\\fB", "").replace("\\fI", "").replace("\\fP", "")


readme = read("README.md")
man8 = unescape_man(read("man/bounce-milter.8"))
man5 = read("man/bounce-milter.conf.5")

# ---------------------------------------------------------------- 1. options
# the schema: conf_schema.c and the sections other conf_*.c files add
schema_src = "".join(read(os.path.join("src", "daemon", n))
                     for n in sorted(os.listdir(os.path.join(top, "src", "daemon")))
                     if n.startswith("conf") and n.endswith(".c"))
arrays = {}
for m in re.finditer(r"cfg_opt_t\s+(\w+)\[\]\s*=\s*\{(.*?)CFG_END\(\)", schema_src, re.S):
    arrays[m.group(1)] = m.group(2)
if not arrays:
    problems.append("no cfg_opt_t arrays found in conf_schema.c")
in_section = {}
for body in arrays.values():
    for sec, arr in re.findall(r'CFG_SEC\(\s*"(\w+)"\s*,\s*(\w+)', body):
        in_section[arr] = sec
schema = set()
for name, body in arrays.items():
    prefix = in_section[name] + "." if name in in_section else ""
    for kind, opt in re.findall(r'CFG_(\w+)\(\s*"(\w+)"', body):
        if kind != "SEC":
            schema.add(prefix + opt)
names_list = re.search(r"conf_option_names\[\]\s*=\s*\{(.*?)\};", schema_src, re.S)
listed = set(re.findall(r'"([\w.]+)"', names_list.group(1))) if names_list else set()
same("option", schema, listed, "conf_option_names (conf_schema.c)")

sample = set()
sec = ""
for line in read("conf/bounce-milter.conf").split("\n"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    if line.startswith("}"):
        sec = ""
        continue
    m = re.match(r"(\w+)\s*(=|\{)", line)
    if m is None:
        continue
    if m.group(2) == "{":
        sec = m.group(1)
    else:
        sample.add((sec + "." if sec else "") + m.group(1))
same("option", schema, sample, "conf/bounce-milter.conf")

documented = set(re.findall(r"^\.TP\n\.B ([\w.]+)\s*$", man5, re.M))
same("option", schema, documented, "man/bounce-milter.conf.5 (.TP/.B paragraphs)")

conf_block = section(readme, r"^## Configuration", r"^```\s*$\n(?!\s*\w)")
conf_block = conf_block.split("```")[1] if "```" in conf_block else conf_block
readme_opts = set()
sec = ""
for line in conf_block.split("\n"):
    line = line.strip()
    if line.startswith("}"):
        sec = ""
        continue
    m = re.match(r"(\w+)\s*(=|\{)", line)
    if m and m.group(2) == "{":
        sec = m.group(1)
    elif m:
        readme_opts.add((sec + "." if sec else "") + m.group(1))
checked += 1
for k in sorted(readme_opts - schema):
    problems.append("option %r is in the README's Configuration example but not in the code" % k)

# ---------------------------------------------------------------- 2. command line
main_src = read("src/daemon/main.c")
m = re.search(r'getopt\([^"]*"([^"]+)"', main_src)
letters = set(re.sub(r"[^A-Za-z]", "", m.group(1))) if m else set()
if not letters:
    problems.append("no getopt() string in src/daemon/main.c")
opts8 = section(man8, r"^\.SH OPTIONS", r"^\.SH ")
man_letters = set(re.findall(r"^\.B[IR]? -(\w)\b", opts8, re.M))
same("command-line option", letters, man_letters, "the OPTIONS of bounce-milter.8")
# the daemon's options are listed in the README's Configuration section
# (bounce-classify's, elsewhere, are its man page's business)
conf_text = section(readme, r"^## Configuration", r"^## ")
readme_letters = set(re.findall(r"`-(\w)[ `]", conf_text))
for cmd in re.findall(r"`bounce-milter((?: -\w(?: [A-Z]+)?)+)`", conf_text):
    readme_letters |= set(re.findall(r"-(\w)", cmd))
same("command-line option", letters, readme_letters, "README.md")

# ---------------------------------------------------------------- 3. headers
# action.c decides; report.c writes the headers and the log lines, every
# value through kv_append()/report_field() (util/kv.h: quoted when needed)
action_src = read("src/daemon/action.c")
report_src = read("src/daemon/report.c")
session_src = read("src/daemon/session.c")
added = set(re.findall(r'report_add_header\([^"]*"(X-Bounce-[\w-]+)"', report_src))
own = set(re.findall(r'"(X-Bounce-[\w-]+)"', session_src))
same("header", added, own, "session.c's list of our own headers")
hdrs_fn = re.search(r"\nreport_headers\(.*?\n\}\n", report_src, re.S)
hdrs_fn = hdrs_fn.group(0) if hdrs_fn else ""
rcpt_part, _, origin_part = hdrs_fn.partition('"X-Bounce-Recipient", raw)')
field_re = r'(?:report_field|kv_append)\(raw, sizeof raw, (?:"[^"]*", )?"([\w-]+)"'
rcpt_keys = set(re.findall(field_re, rcpt_part))
origin_keys = set(re.findall(field_re, origin_part))
if not rcpt_keys or not origin_keys:
    problems.append("could not read the X-Bounce-Recipient or X-Bounce-Origin keys from report.c")
hdr_readme = section(readme, r"^## Headers it adds", r"^## ")


def example_keys(text, header):
    """Keys of the example lines of `header` (folded lines joined)."""
    keys = set()
    for m in re.finditer(r"^%s: (.*(?:\n .*)*)" % re.escape(header), text, re.M):
        value = m.group(1).replace("\n", "")
        keys |= set(re.findall(r"(?:^|; *)([\w-]+)=", value))
    return keys


for where, text in (("README.md (Headers it adds)", hdr_readme), ("bounce-milter.8", man8)):
    covered("header", added, text, where, "%s")
    for header, code_keys in (("X-Bounce-Recipient", rcpt_keys), ("X-Bounce-Origin", origin_keys)):
        shown = example_keys(text, header)
        checked += 1
        for k in sorted(shown - code_keys):
            problems.append("%s key %r is shown in %s but the code never writes it" % (header, k, where))
covered("X-Bounce-Recipient key", rcpt_keys, hdr_readme, "README.md (Headers it adds)", "`%s`")
covered("X-Bounce-Origin key", origin_keys, hdr_readme, "README.md (Headers it adds)", "%s=")

# ---------------------------------------------------------------- 4. log keys
daemon_dir = os.path.join(top, "src", "daemon")
log_keys = set()
for name in sorted(os.listdir(daemon_dir)):
    if not name.endswith(".c"):
        continue
    src = read(os.path.join("src", "daemon", name))
    for call in re.findall(r"log_qid\((.*?)\);", src, re.S):
        for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', call):
            log_keys |= set(re.findall(r"(?:^|[ (])([a-z_]+)=", lit))
one = re.search(r"\nreport_log_one\(.*?\n\}\n", report_src, re.S)
if one is None:
    problems.append("no report_log_one() in report.c")
else:
    log_keys |= set(re.findall(r'kv_append\(line, sizeof line, "[^"]*", "([a-z_]+)"', one.group(0)))
why = set(re.findall(r'->(?:tag_)?why = "([\w-]+)"', action_src))
# the key that carries them: kv_append(..., "why", x->why) (it was a
# second reason= once)
m = re.search(r'"(\w+)", x->why\)', report_src)
why_key = m.group(1) if m else "why"
if m is None:
    problems.append("report.c: no key found for the refusal reason")
log_readme = section(readme, r"^## Logging", r"^## ")
log_man = section(man8, r"^\.SH LOGGING", r"^\.SH ")
covered("log key", log_keys, log_readme, "README.md (Logging)", "%s=")
covered("refusal reason", why, log_readme, "README.md (Logging)", "`%s`")
covered("refusal reason", why, log_man, "the LOGGING of bounce-milter.8", why_key + "=%s")
shown = set(re.findall(r"(?:^|[ `])([a-z_]+)=", log_readme, re.M))
checked += 1
for k in sorted(shown - log_keys):
    problems.append("log key %r is in README.md (Logging) but the code never logs it" % k)
# the reasons are listed in the paragraph about that key
listing = [p for p in log_readme.split("\n\n") if "`%s=`" % why_key in p]
shown = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", listing[0])) if listing else set()
if not listing:
    problems.append("README.md (Logging) has no paragraph about the refusal reasons")
checked += 1
for k in sorted(shown - why):
    problems.append("refusal reason %r is in README.md (Logging) but the code never gives it" % k)

# ---------------------------------------------------------------- 5. paths
# Files of this tree that the README and the man pages name exist (a built
# program counts when its source does, tests/tools/verp-tag.c, or when
# Makefile.am builds it).
paths = set()
for rel in ("README.md", "man/bounce-milter.8", "man/bounce-milter.conf.5",
            "man/bounce-classify.1", "conf/bounce-milter.conf", "tests/corpus/README.md"):
    text = unescape_man(read(rel))
    for m in re.finditer(r"(?<![\w./-])((?:src|tests|contrib|conf|man|systemd)/[\w.+-]+(?:/[\w.+-]+)*)", text):
        paths.add((m.group(1).rstrip("."), rel))
makefile = read("Makefile.am")
built = set(re.findall(r"_PROGRAMS\s*\+?=\s*((?:[\w/.-]+\s*)+)", makefile))
built = set(w for group in built for w in group.split())
checked += 1
for path, rel in sorted(paths):
    full = os.path.join(top, path)
    if path not in built and \
            not any(os.path.exists(full + ext) for ext in ("", ".c", ".sh", ".in")):
        problems.append("%s names %s, which is not in the tree" % (rel, path))

for p in problems:
    print("check-docs: " + p)
print("check-docs: read %d options, %d command-line letters, %d headers with %d + %d keys, "
      "%d log keys, %d refusal reasons" % (len(schema), len(letters), len(added), len(rcpt_keys),
                                           len(origin_keys), len(log_keys), len(why)))
print("check-docs: %d comparisons, %d differences" % (checked, len(problems)))
sys.exit(1 if problems else 0)
PYEOF
