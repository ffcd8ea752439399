#!/usr/bin/env bash
# Throughput and memory benchmark of `contract-milestones extract` against
# `pdftotext -layout` on a folder of PDFs.
#
#   bash scripts/bench.sh [CORPUS]        (default: ../shared/corpus/wild/ordinary)
#
# Builds the release binary, then measures, on the same files:
#   e2e --jobs 1   contract-milestones extract CORPUS --jobs 1 --quiet -o TMP
#   e2e --jobs 2   the same with --jobs 2
#   pdftotext      pdftotext -layout FILE TMPDIR/N.txt, one process per file, in turn
# and prints wall seconds, CPU seconds, pages/s, documents/s and peak memory,
# then the ratios beside the project's targets. It measures and never judges:
# the exit code is 0 whatever the figures (non-zero only if a run breaks).
#
# Environment:
#   RUNS=N        repeat every measurement N times and report the median run (default 1)
#   SKIP_BUILD=1  use the existing target/release binary
#   SAMPLE_S=0.2  interval of the /proc memory sampler
#   EXTRACT_ARGS  extra arguments for every extract run (e.g. "--no-prefilter";
#                 "--timeout 900" when a large document would hit the 60 s default)
#
# What the memory columns mean (verified on Linux: a parent whose child
# allocates 400 MB reports ~410 MB; a grandchild's 300 MB reaches the top
# too; a child that is never reaped is not counted):
#   peak_MB    ru_maxrss from `/usr/bin/time -v` ("Maximum resident set size"):
#              the largest SINGLE process among the command and every
#              descendant it waited for. Not a sum. For the tool that is
#              max(parent, each worker process); for pdftotext the largest one
#              pdftotext process.
#   main_MB    VmHWM of the tool's own (parent) process, read from /proc.
#   worker_MB  the largest VmHWM of any `__worker` child process (a worker
#              serves many documents in turn, so this is its peak over all of
#              them), read from /proc every SAMPLE_S seconds until it exits.
#   sum_MB     the largest sampled sum of VmRSS over the parent and its
#              workers: what the run held at once.
# The "worker RSS over the run" line shows the workers' VmRSS at 25/50/75/100%
# of the run's wall time; "flat in the number of documents" means it does not
# climb from one quarter to the next.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-../shared/corpus/wild/ordinary}
runs=${RUNS:-1}
sample_s=${SAMPLE_S:-0.2}
read -r -a extra <<< "${EXTRACT_ARGS:-}"
[ -d "$corpus" ] || { echo "bench: no such folder: $corpus" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: python3 is needed" >&2; exit 2; }

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_updated=
apt_install() {
  if ! can_apt; then return 1; fi
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time (/usr/bin/time)" >&2
  apt_install time || { echo "bench: GNU time (/usr/bin/time) is missing and cannot be installed" >&2; exit 2; }
fi
have_pdftotext=1
if ! command -v pdftotext >/dev/null; then
  echo "bench: installing poppler-utils (pdftotext)" >&2
  apt_install poppler-utils || have_pdftotext=
fi

tmp=$(mktemp -d /tmp/cm-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet
fi
# Run a private copy: other builds may replace target/release while we
# measure, and the tool starts its workers from its own path.
bin=$tmp/contract-milestones
cp target/release/contract-milestones "$bin"

find "$corpus" -type f -iname '*.pdf' -print0 | sort -z > "$tmp/files"
ndocs=$(tr -cd '\0' < "$tmp/files" | wc -c)
[ "$ndocs" -gt 0 ] || { echo "bench: no PDFs under $corpus" >&2; exit 2; }

# --- helpers (python): /proc sampler, JSON page count, time -v parsing, report
cat > "$tmp/helper.py" <<'PY'
import json, os, statistics, sys, time

def kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None

def children():
    m = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
            ppid = int(s.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        m.setdefault(ppid, []).append(int(d))
    return m

def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""

def sample(root, interval, out):
    """Follow the tree under `root` (the /usr/bin/time process) until it exits."""
    t0 = time.monotonic()
    procs = {}   # pid -> {"role", "hwm", "series": [(t, rss)]}
    sums = []
    while os.path.exists(f"/proc/{root}"):
        kids = children()
        tree, todo = [], list(kids.get(root, []))
        while todo:
            p = todo.pop()
            tree.append(p)
            todo.extend(kids.get(p, []))
        t = time.monotonic() - t0
        total = 0
        for p in tree:
            if p not in procs:
                procs[p] = {"role": "worker" if "__worker" in cmdline(p) else "main", "hwm": 0, "series": []}
            rss, hwm = kb(p, "VmRSS"), kb(p, "VmHWM")
            if rss is None:
                continue
            procs[p]["hwm"] = max(procs[p]["hwm"], hwm or 0)
            procs[p]["series"].append((t, rss))
            total += rss
        sums.append(total)
        time.sleep(interval)
    end = time.monotonic() - t0
    main = [v["hwm"] for v in procs.values() if v["role"] == "main"]
    workers = [v for v in procs.values() if v["role"] == "worker"]
    quart = []
    for q in (0.25, 0.5, 0.75, 1.0):
        at = q * end
        vals = []
        for w in workers:
            before = [r for (t, r) in w["series"] if t <= at]
            # Only workers still alive then: a worker replaced earlier in
            # the run (recycled, timed out) no longer holds its memory.
            if before and w["series"][-1][0] >= at - max(1.0, 3 * interval):
                vals.append(before[-1])
        quart.append(max(vals) if vals else 0)
    json.dump({"main_kb": max(main) if main else 0,
               "worker_kb": max((w["hwm"] for w in workers), default=0),
               "nworkers": len(workers),
               "sum_kb": max(sums) if sums else 0,
               "quartiles_kb": quart}, open(out, "w"))

def pages(path):
    d = json.load(open(path))
    docs = d["documents"] if isinstance(d, dict) else d
    return sum(x.get("pages") or 0 for x in docs), len(docs), sum(1 for x in docs if x.get("pages") is None)

def statuses(path):
    d = json.load(open(path))
    docs = d["documents"] if isinstance(d, dict) else d
    c = {}
    for x in docs:
        c[x["status"]] = c.get(x["status"], 0) + 1
    bad = [f"{x['path']} ({x['status']})" for x in docs if x["status"] not in ("ok", "no_text")]
    return ", ".join(f"{v} {k}" for k, v in sorted(c.items())) + (("; not processed: " + ", ".join(bad[:5])) if bad else "")

def timev(path):
    r = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("User time"):
            r["user"] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("System time"):
            r["sys"] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("Maximum resident set size"):
            r["maxrss_kb"] = int(line.rsplit(" ", 1)[1])
        elif line.startswith("Elapsed (wall clock)"):
            v = line.rsplit(" ", 1)[1].split(":")
            s = 0.0
            for part in v:
                s = s * 60 + float(part)
            r["wall"] = s
        elif line.startswith("Exit status"):
            r["exit"] = int(line.rsplit(" ", 1)[1])
    return r

def mb(k):
    return k / 1024.0

def report(tmp, ndocs, npages, runs):
    rows = {}
    for line in open(f"{tmp}/results.jsonl"):
        r = json.loads(line)
        rows.setdefault(r["name"], []).append(r)
    med = {}
    for name, rs in rows.items():
        rs.sort(key=lambda r: r["wall"])
        med[name] = rs[(len(rs) - 1) // 2]   # the median run (lower median for even counts)
        med[name]["walls"] = [round(r["wall"], 2) for r in rs]
    print()
    print(f"{'run':<18}{'wall_s':>8}{'cpu_s':>8}{'pages/s':>9}{'docs/s':>8}{'peak_MB':>9}{'main_MB':>9}{'worker_MB':>10}{'sum_MB':>8}  target")
    for name in ("e2e --jobs 1", "e2e --jobs 2", "pdftotext -layout"):
        if name not in med:
            continue
        r = med[name]
        cpu = r["user"] + r["sys"]
        s = r.get("sampler", {})
        tgt = "worker < 100 MB" if name.startswith("e2e") else ""
        main_mb, worker_mb, sum_mb = ((f"{mb(s[k]):.0f}" for k in ("main_kb", "worker_kb", "sum_kb")) if s else "---")
        print(f"{name:<18}{r['wall']:>8.1f}{cpu:>8.1f}{npages / r['wall']:>9.1f}{ndocs / r['wall']:>8.2f}"
              f"{mb(r['maxrss_kb']):>9.0f}{main_mb:>9}{worker_mb:>10}{sum_mb:>8}  {tgt}")
    if runs > 1:
        for name, r in med.items():
            print(f"  {name}: wall of each run {r['walls']} (median shown)")
    print()
    print(f"{'ratio':<52}{'measured':>10}  target")
    j1, j2, pt = med.get("e2e --jobs 1"), med.get("e2e --jobs 2"), med.get("pdftotext -layout")
    if j1 and pt:
        print(f"{'e2e 1-thread / pdftotext throughput (wall)':<52}{pt['wall'] / j1['wall']:>9.2f}x  >= 1.5x")
        print(f"{'e2e 1-thread / pdftotext throughput (CPU seconds)':<52}{(pt['user'] + pt['sys']) / (j1['user'] + j1['sys']):>9.2f}x  (same, immune to other load)")
    elif j1:
        print("e2e 1-thread / pdftotext: skipped (no pdftotext)")
    if j1 and j2:
        print(f"{'e2e 2-thread / 1-thread throughput (wall)':<52}{j1['wall'] / j2['wall']:>9.2f}x  >= 1.9x")
    for name in ("e2e --jobs 1", "e2e --jobs 2"):
        r = med.get(name)
        if r and r.get("sampler"):
            q = r["sampler"]["quartiles_kb"]
            txt = " / ".join(f"{mb(v):.0f}" for v in q)
            print(f"{'worker RSS MB at 25/50/75/100% of run, ' + name.split()[-2] + ' ' + name.split()[-1]:<52}{txt:>10}  flat in the number of documents")
    print(f"{'rules + normalisation share of CPU time':<52}{'see':>10}  < 10%   (bash scripts/profile.sh)")

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sample":
        sample(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
    elif cmd == "pages":
        p, n, missing = pages(sys.argv[2])
        print(p, n, missing)
    elif cmd == "statuses":
        print(statuses(sys.argv[2]))
    elif cmd == "timev":
        print(json.dumps(timev(sys.argv[2])))
    elif cmd == "report":
        report(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
PY
helper() { python3 "$tmp/helper.py" "$@"; }

record() { # NAME TIMEFILE [SAMPLERFILE]
  local t s
  t=$(helper timev "$2")
  s='null'
  [ -n "${3:-}" ] && [ -s "$3" ] && s=$(cat "$3")
  python3 -c 'import json,sys; t=json.loads(sys.argv[2]); t["name"]=sys.argv[1]; s=json.loads(sys.argv[3]); t.update({"sampler": s} if s else {}); print(json.dumps(t))' "$1" "$t" "$s" >> "$tmp/results.jsonl"
}

run_tool() { # JOBS RUN
  local jobs=$1 n=$2 out="$tmp/out-j$1-$2.json"
  /usr/bin/time -v -o "$tmp/time-j$jobs-$n.txt" \
    "$bin" extract "$corpus" --jobs "$jobs" --quiet ${extra[@]+"${extra[@]}"} -o "$out" &
  local tpid=$!
  helper sample "$tpid" "$sample_s" "$tmp/sample-j$jobs-$n.json" &
  local spid=$!
  wait "$tpid" || true
  wait "$spid" || true
  local code
  code=$(helper timev "$tmp/time-j$jobs-$n.txt" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("exit", 0))')
  # 0: all documents ok; 1: some documents not ok (the output is complete).
  if [ "$code" != 0 ] && [ "$code" != 1 ]; then
    echo "bench: extract --jobs $jobs exited with $code" >&2
    exit 1
  fi
  record "e2e --jobs $jobs" "$tmp/time-j$jobs-$n.txt" "$tmp/sample-j$jobs-$n.json"
}

run_pdftotext() { # RUN
  local n=$1
  mkdir -p "$tmp/txt"
  /usr/bin/time -v -o "$tmp/time-pt-$n.txt" bash -c '
    i=0; fails=0
    while IFS= read -r -d "" f; do
      i=$((i+1))
      pdftotext -layout "$f" "$1/$i.txt" 2>/dev/null || fails=$((fails+1))
    done < "$2"
    echo "$fails" > "$1/fails"' _ "$tmp/txt" "$tmp/files"
  record "pdftotext -layout" "$tmp/time-pt-$n.txt"
  rm -f "$tmp"/txt/*.txt
}

echo "corpus:  $corpus ($ndocs PDF files)"
echo "binary:  target/release/contract-milestones (commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src rules 2>/dev/null || echo ', with uncommitted changes'))"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs:    $runs per measurement (median by wall time shown)"
echo "extract: extract CORPUS --jobs N --quiet ${extra[*]+${extra[*]} }-o TMPFILE"

for n in $(seq 1 "$runs"); do
  echo "... run $n/$runs: extract --jobs 1" >&2
  run_tool 1 "$n"
  echo "... run $n/$runs: extract --jobs 2" >&2
  run_tool 2 "$n"
  if [ -n "$have_pdftotext" ]; then
    echo "... run $n/$runs: pdftotext -layout" >&2
    run_pdftotext "$n"
  fi
done

read -r npages ndocs_json nopages < <(helper pages "$tmp/out-j1-1.json")
echo "pages:   $npages (sum of \"pages\" in the tool's JSON, $ndocs_json documents; $nopages without a page count)"
if command -v pdfinfo >/dev/null; then
  pi=0
  while IFS= read -r -d '' f; do
    p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
    pi=$((pi + ${p:-0}))
  done < "$tmp/files"
  echo "         $pi by pdfinfo"
  # A document that timed out or failed has no page count in the JSON; the
  # rates are per page of the corpus, so count its pages with pdfinfo then.
  if [ "$nopages" -gt 0 ] && [ "$pi" -gt "$npages" ]; then
    npages=$pi
    echo "         rates below use the pdfinfo count (the JSON lacks some documents' pages)"
  fi
fi
for f in "$tmp"/out-j*-1.json; do
  st=$(helper statuses "$f")
  echo "status:  $(basename "$f" -1.json | sed 's/out-j/--jobs /'): $st"
  case $st in *timeout*) echo "WARNING: a document hit --timeout (default 60 s): that run did less work, so its rates are optimistic; for comparable figures use EXTRACT_ARGS='--timeout 900'";; esac
done
if [ -z "$have_pdftotext" ]; then
  echo "pdftotext: not installed and apt-get is not usable here: the pdftotext run and its ratio are skipped"
elif [ -s "$tmp/txt/fails" ] && [ "$(cat "$tmp/txt/fails")" != 0 ]; then
  echo "pdftotext: $(cat "$tmp/txt/fails") file(s) failed (counted in the time anyway)"
fi

helper report "$tmp" "$ndocs" "$npages" "$runs"

# Worker start-up: one small file through worker processes vs in-process.
small=$(tr '\0' '\n' < "$tmp/files" | xargs -d '\n' ls -S | tail -n 1)
startup() {
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
ws = []
for _ in range(5):
    t = time.monotonic()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ws.append(time.monotonic() - t)
print(f"{statistics.median(ws):.3f}")
PY
}
w=$(startup "$bin" extract "$small" --jobs 1 --quiet ${extra[@]+"${extra[@]}"} -o "$tmp/s.json")
i=$(startup "$bin" extract "$small" --jobs 1 --quiet --in-process ${extra[@]+"${extra[@]}"} -o "$tmp/s.json")
echo
echo "worker start-up (one small file, median of 5): ${w}s with a worker process, ${i}s --in-process;"
echo "  difference $(python3 -c "print(f'{$w - $i:.3f}')")s per worker (paid once per worker per run, and again after a timeout or crash)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
