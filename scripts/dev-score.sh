#!/usr/bin/env bash
# Score the release build on ../shared/corpus/dev and ../shared/corpus/real
# (needs ../shared), so that extraction cannot silently fall back.
# Fails when completeness or status accuracy drop below 1.0; on dev when
# overall F1 drops below 0.90, precision below 0.90 or document dates below
# 0.95; on real when overall F1 drops below 0.64 or precision below 0.78.
# (Measured at the last change: dev 0.932 / precision 0.956 / dates 0.960;
# real 0.656 / precision 0.802.)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# score CORPUS MIN_F1 MIN_PRECISION MIN_DATES EXPECTED_EXIT
score() {
  local name=$1 min_f1=$2 min_p=$3 min_dates=$4 want=$5
  local out="$tmp/$name.jsonl"
  set +e
  target/release/contract-milestones extract "$shared/corpus/$name" --format jsonl -o "$out" --quiet
  local code=$?
  set -e
  if [ "$code" -ne "$want" ]; then
    echo "$name corpus: expected exit code $want, got $code" >&2
    exit 1
  fi
  python3 "$shared/eval/score.py" "$shared/corpus/$name" "$out" > "$out.score"
  echo "== $name"
  sed -n '/^measure/,/expiration_date/p' "$out.score"
  tail -n 1 "$out.score"
  if [ "$name" = real ]; then
    for part in tune check; do
      echo "$part part: $(python3 "$shared/eval/score.py" "$shared/corpus/$name" "$out" --split "$part" | tail -n 1)"
    done
  fi
  python3 - "$out.score" "$name" "$min_f1" "$min_p" "$min_dates" <<'PY'
import re, sys
path, name, min_f1, min_p, min_dates = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
text = open(path).read()
def val(label):
    m = re.search(r"^%s\s+([0-9.]+)" % re.escape(label), text, re.M)
    return float(m.group(1)) if m else 0.0
bad = ["%s below 1.0" % n for n in ("completeness", "status accuracy") if val(n) < 1.0]
m = re.search(r"^all records\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)", text, re.M)
precision, f1 = (float(m.group(1)), float(m.group(3))) if m else (0.0, 0.0)
bad += ["overall F1 %.3f below %.2f" % (f1, min_f1)] if f1 < min_f1 else []
bad += ["precision %.3f below %.2f" % (precision, min_p)] if precision < min_p else []
bad += ["document dates %.3f below %.2f" % (val("document dates"), min_dates)] if val("document dates") < min_dates else []
if bad:
    sys.exit("%s corpus gate failed: %s" % (name, "; ".join(bad)))
PY
}

# dev holds deliberately broken files (exit 1); real has none (exit 0).
score dev 0.90 0.90 0.95 1
if [ -d "$shared/corpus/real" ]; then
  score real 0.64 0.78 0.0 0
fi
