#!/usr/bin/env python3
"""Keep fixtures/expected/known-gaps.json in step with the golden test.

Runs `cargo test --release --test golden` and, from its report:
  - removes gaps that closed (items now found, extras now fewer, pages, dates
    and parties now right);
  - with --accept-new, also records new misses and more extras (a regression you
    have decided to accept: say why in the commit message).
It never touches the expected files themselves.
"""
import json, re, subprocess, sys

accept_new = "--accept-new" in sys.argv
path = "fixtures/expected/known-gaps.json"
gaps = json.load(open(path, encoding="utf-8"))
out = subprocess.run(["cargo", "test", "--release", "--test", "golden", "fixtures_match"],
                     capture_output=True, text=True).stdout + ""
out += subprocess.run(["cargo", "test", "--release", "--test", "golden", "fixtures_match"],
                      capture_output=True, text=True).stderr
changed = 0
for line in out.splitlines():
    m = re.match(r"^(\S+\.(?:lo|chromium)): now found (.*) \(remove it", line)
    if m:
        gaps[m.group(1)]["missed"].remove(m.group(2)); changed += 1
    m = re.match(r"^(\S+\.(?:lo|chromium)): (\d+) extra records, fewer than", line)
    if m:
        gaps[m.group(1)]["extra"] = int(m.group(2)); changed += 1
    m = re.match(r"^(\S+\.(?:lo|chromium)): effective .*\(now right", line)
    if m:
        gaps[m.group(1)].pop("dates_wrong", None); changed += 1
    m = re.match(r"^(\S+\.(?:lo|chromium)): parties .*\(now right", line)
    if m:
        gaps[m.group(1)].pop("parties_wrong", None); changed += 1
    m = re.match(r"^(\S+\.(?:lo|chromium)): no longer (.*) \(remove it", line)
    if m:
        gaps[m.group(1)]["pages_wrong"].remove(m.group(2)); changed += 1
    if accept_new:
        m = re.match(r"^(\S+\.(?:lo|chromium)): missed (.*)$", line)
        if m:
            gaps.setdefault(m.group(1), {}).setdefault("missed", []).append(m.group(2)); changed += 1
        m = re.match(r"^(\S+\.(?:lo|chromium)): (\d+) extra records, (\d+) known;", line)
        if m:
            gaps.setdefault(m.group(1), {})["extra"] = int(m.group(2)); changed += 1
        m = re.match(r"^(\S+\.(?:lo|chromium)): effective .*expected", line)
        if m and "now right" not in line:
            gaps.setdefault(m.group(1), {})["dates_wrong"] = True; changed += 1
        m = re.match(r"^(\S+\.(?:lo|chromium)): parties .*expected", line)
        if m and "now right" not in line:
            gaps.setdefault(m.group(1), {})["parties_wrong"] = True; changed += 1
        m = re.match(r"^(\S+\.(?:lo|chromium)): (?!missed |no longer )(.* on p\d+, expected p\d+)$", line)
        if m:
            gaps.setdefault(m.group(1), {}).setdefault("pages_wrong", []).append(m.group(2)); changed += 1
kept = ("missed", "extra", "pages_wrong", "dates_wrong", "parties_wrong")
for k in [k for k, v in gaps.items() if isinstance(v, dict) and not any(v.get(f) for f in kept)]:
    del gaps[k]
for v in gaps.values():
    for f in ("missed", "pages_wrong"):
        if isinstance(v, dict) and f in v and not v[f]:
            del v[f]
json.dump(gaps, open(path, "w", encoding="utf-8"), indent=1, ensure_ascii=False)
open(path, "a").write("\n")
m = re.search(r"fixtures: (\d+) expected items, (\d+) missed, (\d+) extra records", out)
print("%d change(s); %s" % (changed, m.group(0) if m else "no summary (did the test build?)"))
