#!/usr/bin/env bash
# Where the CPU time of `contract-milestones extract` goes, by pipeline stage
# and by module path, from a sampling profile.
#
#   bash scripts/profile.sh [CORPUS] [N]
#     CORPUS  folder of PDFs (default ../shared/corpus/wild/ordinary)
#     N       profile N files spread evenly over the name-sorted list
#             (default 10), or `all`
#
# The run is `extract FILES --jobs 1 --in-process`, so the text engines,
# layout, segmentation, rules, normalisation and output all happen in one
# process. perf samples it on the cpu-clock software event (hardware counters
# are often missing in VMs; cpu-clock needs none) with DWARF call graphs; the
# release profile keeps line tables (debug = 1), so inlined functions are
# resolved (INLINE=0 skips that: faster, but inlined callees are charged to
# their caller). If perf is not usable, valgrind's callgrind is used instead,
# with a coarser summary.
#
# Environment: FREQ (sampling Hz; default 499, 97 for `all`), INLINE (1/0),
# SKIP_BUILD=1, KEEP=DIR (keep perf.data and the stacks there), EXTRACT_ARGS
# (extra arguments for extract, e.g. "--no-prefilter").
#
# Report:
#   stage      each sample is charged to the INNERMOST contract_milestones
#              frame on its stack (a regex search called from the rules is
#              "rules", one called from normalise is "normalisation"); samples
#              under RuleSet::compile/load are "start-up: rule compilation".
#   inclusive  share of samples with at least one frame of that module path
#              anywhere on the stack (the shares overlap and do not add up).
#   self       the leaf function (where the CPU actually was).
#   under X    for a few entry points, which direct callee the time went to.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-../shared/corpus/wild/ordinary}
n=${2:-10}
inline=${INLINE:-1}
if [ "$n" = all ]; then freq=${FREQ:-97}; else freq=${FREQ:-499}; fi
[ -d "$corpus" ] || { echo "profile: no such folder: $corpus" >&2; exit 2; }
command -v python3 >/dev/null || { echo "profile: python3 is needed" >&2; exit 2; }

if [ -n "${KEEP:-}" ]; then tmp=$KEEP; mkdir -p "$tmp"; else
  tmp=$(mktemp -d /tmp/cm-profile.XXXXXX); trap 'rm -rf "$tmp"' EXIT
fi

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  can_apt || return 1
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}
perf_ok() { command -v perf >/dev/null && perf record -q -e cpu-clock -o "$tmp/probe.data" -- true >/dev/null 2>&1; }

profiler=perf
if ! perf_ok; then
  echo "profile: perf missing or unusable; trying to install linux-perf" >&2
  apt_install linux-perf || true
  if ! perf_ok; then
    profiler=callgrind
    command -v valgrind >/dev/null || apt_install valgrind || { echo "profile: neither perf nor valgrind is usable" >&2; exit 2; }
  fi
fi

if [ -z "${SKIP_BUILD:-}" ]; then cargo build --release --quiet; fi
bin=$tmp/contract-milestones
cp target/release/contract-milestones "$bin"

find "$corpus" -type f -iname '*.pdf' -print0 | sort -z > "$tmp/all"
python3 - "$tmp/all" "$n" "$tmp/files" <<'PY'
import sys
files = [f for f in open(sys.argv[1], "rb").read().split(b"\0") if f]
n = sys.argv[2]
if n != "all":
    k = min(int(n), len(files))
    files = [files[i * len(files) // k] for i in range(k)]
open(sys.argv[3], "wb").write(b"\0".join(files) + b"\0")
PY
mapfile -d '' files < "$tmp/files"
echo "profiler: $profiler; ${#files[@]} file(s) from $corpus; extract --jobs 1 --in-process ${EXTRACT_ARGS:-}"

read -r -a extra <<< "${EXTRACT_ARGS:-}"
run_cmd=("$bin" extract "${files[@]}" --jobs 1 --in-process --quiet ${extra[@]+"${extra[@]}"} -o "$tmp/out.json")

if [ "$profiler" = callgrind ]; then
  set +e
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "${run_cmd[@]}" 2>"$tmp/vg.err"
  set -e
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["documents"]; print("pages:", sum(x.get("pages") or 0 for x in d))' "$tmp/out.json"
  callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null > "$tmp/cg.txt"
  echo "inclusive instruction counts of the stage entry points (callgrind):"
  grep -E 'OxideEngine.*extract|PdfExtractEngine.*extract|layout::build_page|segment::segment[^a-z_]|RuleSet::apply|RuleSet::compile|normalise::(find_|infer_order|dollar)|assemble::analyse|output::Writer::write|sha256_hex|PROGRAM TOTALS' "$tmp/cg.txt" | head -30
  echo; echo "top 30 by inclusive cost:"; sed -n '/^-* *$/,$p' "$tmp/cg.txt" | grep -v '^-' | head -32
  exit 0
fi

set +e
perf record -q -e cpu-clock -F "$freq" --call-graph dwarf,32768 -o "$tmp/perf.data" -- "${run_cmd[@]}" 2>"$tmp/perf.err"
code=$?
set -e
if [ "$code" != 0 ] && [ "$code" != 1 ]; then
  echo "profile: the profiled run exited with $code" >&2; cat "$tmp/perf.err" >&2; exit 1
fi
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["documents"]; print("pages: %d in %d documents" % (sum(x.get("pages") or 0 for x in d), len(d)))' "$tmp/out.json"

inline_flag=--inline
[ "$inline" = 1 ] || inline_flag=--no-inline
perf script -i "$tmp/perf.data" $inline_flag -F comm,tid,period,ip,sym 2>/dev/null > "$tmp/stacks.txt"

python3 - "$tmp/stacks.txt" <<'PY'
import re, sys
from collections import Counter, defaultdict

def owner(sym):
    """The module path a frame belongs to: `<A as B>::f` belongs to A."""
    s = sym.replace(" (inlined)", "")
    if s.startswith("<"):
        s = s[1:]
        for stop in (" as ", ">"):
            i = s.find(stop)
            if i >= 0:
                s = s[:i]
                break
        if s.startswith("impl "):
            s = s[5:]
    return s

def samples(path):
    frames, period = None, 0
    for line in open(path, errors="replace"):
        if not line.strip():
            if frames is not None:
                yield period, frames
            frames = None
            continue
        if not line[0].isspace():
            if frames is not None:
                yield period, frames
            parts = line.split()
            period = int(parts[-1]) if parts[-1].isdigit() else 1
            frames = []
        else:
            parts = line.strip().split(None, 1)
            sym = parts[1] if len(parts) > 1 else "[unknown]"
            frames.append((parts[0], sym))
    if frames is not None:
        yield period, frames

STAGES = [  # innermost contract_milestones module -> stage
    ("contract_milestones::text::oxide", "text extraction (pdf_oxide)"),
    ("contract_milestones::text::pdfextract", "text extraction (pdf-extract fallback)"),
    ("contract_milestones::text::layout", "layout (spans -> lines, cells)"),
    ("contract_milestones::segment", "segmentation"),
    ("contract_milestones::rules", "rules (prefilter + regexes)"),
    ("contract_milestones::normalise", "normalisation"),
    ("contract_milestones::candidates", "candidates (finders, features)"),
    ("contract_milestones::lexicon", "candidates (finders, features)"),
    ("contract_milestones::decide", "decision (scoring candidates)"),
    ("contract_milestones::assemble", "assemble (own code)"),
    ("contract_milestones::output", "output (JSON)"),
    ("contract_milestones::record", "output (JSON)"),
    ("contract_milestones::pipeline", "pipeline (read, SHA-256, checks)"),
    ("contract_milestones::text", "pipeline (read, SHA-256, checks)"),
]
PREFIXES = [
    ("pdf_oxide::", ("pdf_oxide::",)),
    ("pdf_extract:: / lopdf::", ("pdf_extract::", "lopdf::")),
    ("contract_milestones::text::oxide", ("contract_milestones::text::oxide",)),
    ("contract_milestones::text::layout", ("contract_milestones::text::layout",)),
    ("contract_milestones::segment", ("contract_milestones::segment",)),
    ("contract_milestones::rules", ("contract_milestones::rules",)),
    ("contract_milestones::normalise", ("contract_milestones::normalise",)),
    ("contract_milestones::candidates", ("contract_milestones::candidates",)),
    ("contract_milestones::lexicon", ("contract_milestones::lexicon",)),
    ("contract_milestones::decide", ("contract_milestones::decide",)),
    ("contract_milestones::assemble", ("contract_milestones::assemble",)),
    ("contract_milestones::output", ("contract_milestones::output",)),
    ("contract_milestones::pipeline", ("contract_milestones::pipeline",)),
    ("regex (regex, regex_automata, regex_syntax)", ("regex::", "regex_automata::", "regex_syntax::")),
    ("aho_corasick::", ("aho_corasick::",)),
    ("serde_json::", ("serde_json::",)),
    ("toml / toml_edit", ("toml::", "toml_edit::", "toml_parser::")),
    ("sha2::", ("sha2::",)),
    ("decompression (flate2, miniz_oxide, zlib)", ("flate2::", "miniz_oxide::", "zlib_rs::", "libz_rs_sys::", "inflate")),
    ("malloc/free (glibc)", ("malloc", "_int_malloc", "_int_free", "free", "realloc", "_int_realloc", "cfree", "__libc_malloc", "__libc_free", "__libc_realloc", "malloc_consolidate", "unlink_chunk", "calloc", "__libc_calloc")),
    ("memcpy/memmove/memset", ("__memcpy", "__memmove", "__memset", "memcpy", "memmove", "memset")),
]
ENTRY = {  # focus function -> breakdown by direct callee
    "OxideEngine as contract_milestones::text::Engine>::extract": "under OxideEngine::extract (which pdf_oxide call)",
    "pdf_oxide::document::PdfDocument::extract_spans": "under PdfDocument::extract_spans",
    "pdf_oxide::document::PdfDocument::extract_spans_impl": "under PdfDocument::extract_spans_impl",
    "pdf_oxide::extractors::text::TextExtractor::extract_text_spans": "under TextExtractor::extract_text_spans",
    "contract_milestones::rules::RuleSet::apply": "under RuleSet::apply",
    "contract_milestones::assemble::analyse": "under assemble::analyse",
    "contract_milestones::candidates::find_with": "under candidates::find_with",
}

total = 0
stage = Counter()
incl = Counter()
crate_incl = Counter()
self_fn = Counter()
fn_incl = Counter()
under = defaultdict(Counter)
for period, frames in samples(sys.argv[1]):
    total += period
    syms = [s for _, s in frames]
    owners = [owner(s) for s in syms]
    kernel_only = all(a.startswith("ffffffff") for a, _ in frames)
    if any("RuleSet::compile" in s or "RuleSet::load" in s or "load_rules" in s for s in syms):
        st = "start-up: rule loading + compilation"
    else:
        st = None
        for o in owners:
            if o.startswith("contract_milestones::"):
                st = next((name for p, name in STAGES if o.startswith(p)), "driver (cli, discover, run)")
                break
        if st is None:
            if any(o.startswith(("pdf_oxide::",)) for o in owners):
                st = "text extraction (pdf_oxide)"
            elif any(o.startswith(("pdf_extract::", "lopdf::")) for o in owners):
                st = "text extraction (pdf-extract fallback)"
            elif kernel_only or any(o.startswith(("_dl_", "_start", "dl_main")) for o in owners):
                st = "process start/exit (kernel, loader)"
            else:
                st = "other (unattributed stacks)"
    stage[st] += period
    seen = set()
    for label, pres in PREFIXES:
        if any(o.startswith(pres) for o in owners):
            seen.add(label)
    for label in seen:
        incl[label] += period
    crates = set()
    for a, o in zip(frames, owners):
        if a[0].startswith("ffffffff"):
            crates.add("[kernel]")
        elif "::" in o:
            crates.add(o.split("::", 1)[0])
        else:
            crates.add("[C: libc, loader]")
    for c in crates:
        crate_incl[c] += period
    if syms:
        leaf = syms[0] if not frames[0][0].startswith("ffffffff") else "[kernel] " + syms[0]
        self_fn[leaf.replace(" (inlined)", "")] += period
    for s in set(x.replace(" (inlined)", "") for x in syms):
        fn_incl[s] += period
    for i, s in enumerate(syms):
        for key, label in ENTRY.items():
            if s.replace(" (inlined)", "").endswith(key) and i > 0:
                under[label][syms[i - 1].replace(" (inlined)", "")] += period
                break

if total == 0:
    sys.exit("profile: no samples")
pct = lambda v: 100.0 * v / total
def short(s, w=100):
    s = re.sub(r"<[^<>]*(<[^<>]*>[^<>]*)*>", "<..>", s) if len(s) > w else s
    return s if len(s) <= w else s[: w - 3] + "..."

print(f"\nsamples: {total / 1e9:.1f} CPU seconds sampled")
print("\nby stage (innermost contract_milestones frame)       share")
for k, v in stage.most_common():
    print(f"  {k:<50}{pct(v):6.1f}%")
rn = sum(v for k, v in stage.items() if k.startswith(("rules", "normalisation")))
print(f"  {'= rules + normalisation':<50}{pct(rn):6.1f}%   target < 10%")
print("\ninclusive by module path (overlapping)                 share")
for label, _ in PREFIXES:
    if incl[label]:
        print(f"  {label:<50}{pct(incl[label]):6.1f}%")
print("\ninclusive by crate (top 15)")
for k, v in crate_incl.most_common(15):
    print(f"  {k:<50}{pct(v):6.1f}%")
print("\ntop 15 functions by self time")
for k, v in self_fn.most_common(15):
    print(f"  {pct(v):5.1f}%  {short(k)}")
print("\ntop 25 functions by inclusive time (std/core/alloc/rayon plumbing, cli and run left out)")
def plumbing(name):
    o = owner(name)
    return ("::" not in o or o.split("::", 1)[0] in ("std", "core", "alloc", "rayon_core", "&dyn core")
            or o.startswith(("contract_milestones::main", "contract_milestones::cli", "contract_milestones::run")))
for k, v in [kv for kv in fn_incl.most_common() if not plumbing(kv[0])][:25]:
    print(f"  {pct(v):5.1f}%  {short(k)}")
for label in ENTRY.values():
    if under[label]:
        print(f"\n{label}")
        for k, v in under[label].most_common(8):
            print(f"  {pct(v):5.1f}%  {short(k)}")
PY
