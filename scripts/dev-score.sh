#!/usr/bin/env bash
# Score the release build on ../shared/corpus/dev (needs ../shared).
# Fails when completeness or status accuracy drop below 1.0.
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
bad = [n for n in ("completeness", "status accuracy") if val(n) < 1.0]
if bad:
    sys.exit("dev corpus gate failed: %s below 1.0" % ", ".join(bad))
PY
rm -f "$out.score"
