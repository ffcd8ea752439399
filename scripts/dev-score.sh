#!/usr/bin/env bash
# Score the release build on ../shared/corpus/dev (needs ../shared).
# Fails when completeness or status accuracy drop below 1.0, when overall F1
# or precision drop below 0.95, or document dates below 0.95 (issue 5's bar).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
out=$(mktemp --suffix=.jsonl)
trap 'rm -f "$out"' EXIT
set +e
target/release/contract-milestones extract "$shared/corpus/dev" --format jsonl -o "$out" --quiet
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "dev corpus: expected exit code 1 (the corpus has bad files), got $code" >&2
  exit 1
fi
python3 "$shared/eval/score.py" "$shared/corpus/dev" "$out" > "$out.score"
sed -n '/^measure/,/expiration_date/p' "$out.score"
tail -n 1 "$out.score"
python3 - "$out.score" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def val(name):
    m = re.search(r"^%s\s+([0-9.]+)" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else 0.0
bad = ["%s below 1.0" % n for n in ("completeness", "status accuracy") if val(n) < 1.0]
m = re.search(r"^all records\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)", text, re.M)
precision, f1 = (float(m.group(1)), float(m.group(3))) if m else (0.0, 0.0)
bad += ["overall F1 %.3f below 0.95" % f1] if f1 < 0.95 else []
bad += ["precision %.3f below 0.95" % precision] if precision < 0.95 else []
bad += ["document dates below 0.95"] if val("document dates") < 0.95 else []
if bad:
    sys.exit("dev corpus gate failed: " + "; ".join(bad))
PY
rm -f "$out.score"
