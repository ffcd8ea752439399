#!/usr/bin/env bash
# Robustness gate over ../shared/corpus/wild: one run, every file exactly once
# with a status, exit code 1 (the corpus has broken files), no panic text.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
corpus="$shared/corpus/wild"
cargo build --release --quiet
out=$(mktemp --suffix=.jsonl)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
set +e
target/release/contract-milestones extract "$corpus" --format jsonl -o "$out" --timeout 30 2>"$err"
code=$?
set -e
cat "$err"
python3 - "$corpus" "$out" "$err" "$code" <<'PY'
import json, os, sys
corpus, out, err, code = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
files = sorted(os.path.relpath(os.path.join(r, f), corpus)
               for r, _, fs in os.walk(corpus) for f in fs if f.lower().endswith(".pdf"))
docs = [json.loads(l) for l in open(out, encoding="utf-8") if l.strip()]
paths = [d["path"] for d in docs]
problems = []
if sorted(paths) != files:
    problems.append("paths differ: %d files, %d documents, missing %s, extra %s" % (
        len(files), len(paths), sorted(set(files) - set(paths))[:5], sorted(set(paths) - set(files))[:5]))
if len(set(paths)) != len(paths):
    problems.append("a path appears twice")
for d in docs:
    if d.get("status") not in ("ok", "no_text", "encrypted", "unreadable", "timeout", "too_large"):
        problems.append("%s: bad status %r" % (d["path"], d.get("status")))
    if d.get("status") != "ok" and not d.get("error"):
        problems.append("%s: no error for status %s" % (d["path"], d.get("status")))
stderr = open(err, encoding="utf-8", errors="replace").read()
if "panicked" in stderr or "RUST_BACKTRACE" in stderr:
    problems.append("panic text on stderr")
if code != 1:
    problems.append("exit code %d, expected 1" % code)
counts = {}
for d in docs:
    counts[d["status"]] = counts.get(d["status"], 0) + 1
print("wild corpus: %d files, statuses %s" % (len(files), counts))
if problems:
    sys.exit("wild corpus gate failed:\n  " + "\n  ".join(problems))
PY
