#!/usr/bin/env bash
# Build the fuzz targets' seed corpora from the project's own files:
# the rules' examples and counter-examples (text_to_records) and the PDF
# fixtures (pdf_to_document). The corpora grow while fuzzing; they are not
# committed (see .gitignore).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/text_to_records corpus/pdf_to_document
python3 - <<'PY'
import hashlib, os, tomllib
out = "corpus/text_to_records"
n = 0
for name in sorted(os.listdir("../rules")):
    if not name.endswith(".toml"):
        continue
    with open(os.path.join("../rules", name), "rb") as f:
        data = tomllib.load(f)
    for rule in data.get("rule", []):
        for key in ("example", "counter_example"):
            for ex in rule.get(key, []):
                text = ex if isinstance(ex, str) else ex.get("text", "")
                if text:
                    b = text.encode()
                    open(os.path.join(out, hashlib.sha1(b).hexdigest()), "wb").write(b)
                    n += 1
print("text seeds:", n)
PY
for f in ../fixtures/pdf/*.pdf ../fixtures/bad/*.pdf ../fixtures/bad/*.PDF ../fixtures/hostile/cycles.pdf ../fixtures/hostile/objstm-loop.pdf ../fixtures/hostile/million-pages.pdf; do
  [ "$(stat -c %s "$f")" -le 200000 ] && cp "$f" corpus/pdf_to_document/
done
ls corpus/pdf_to_document | wc -l | sed 's/^/pdf seeds: /'
