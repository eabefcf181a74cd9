#!/usr/bin/env bash
# Load on `jianghua serve` (issue 16): 16 concurrent clients (wrk, Debian's
# `wrk`) against the API of an index, then the same while an `ingest` of a
# changed folder runs; the server's peak RSS.
#
#   bash benches/serve_load.sh --index IDX [--corpus DIR] [--seconds 20] [--clients 16] [--cold] [--pin]
#       [--rates 50,100,200]
#
# --pin: the server on CPU 0, the load client on CPU 1 (taskset), so the
# client's own work does not stall the server's.
# --cold: the server keeps no answers (--cache-mb 0), so every request asks
# the index; by default a request asked again under the same commit is
# answered from the server's cache, as the cycling queries here are.
# --rates: after the closed loop, the search queries again at each fixed
# rate (requests per second) from the open-loop client benches/serve_open.rs
# over the same number of connections: latency from each request's due
# time, so it shows the wait below saturation, not only the queue at it.
# --index: a built index (e.g. the 200 MB one of benches/e2e.sh:
# target/e2e/index). --corpus: a folder that was ingested into it; a copy of
# one of its files is changed and the folder ingested again while the load
# runs (without it, that phase is skipped). Release build expected at
# target/release/jianghua. The report goes to stdout.
set -euo pipefail

INDEX=""
CORPUS=""
SECONDS_EACH=20
CLIENTS=16
CACHE_MB=64
PIN_SERVER=""
PIN_CLIENT=""
WRK_THREADS=2
RATES=""
while [ $# -gt 0 ]; do
    case "$1" in
        --index) INDEX="$2"; shift 2 ;;
        --corpus) CORPUS="$2"; shift 2 ;;
        --seconds) SECONDS_EACH="$2"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --cold) CACHE_MB=0; shift ;;
        --rates) RATES="$2"; shift 2 ;;
        --pin) PIN_SERVER="taskset -c 0"; PIN_CLIENT="taskset -c 1"; WRK_THREADS=1; shift ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "serve_load.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ -n "$INDEX" ] || { echo "serve_load.sh: give --index IDX" >&2; exit 2; }
command -v wrk >/dev/null || { echo "serve_load.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
JH="$(cd "$(dirname "$0")/.." && pwd)/target/release/jianghua"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

$PIN_SERVER "$JH" --index "$INDEX" serve --addr 127.0.0.1:0 --cache-mb "$CACHE_MB" > "$WORK/addr" 2> "$WORK/serve.err" &
SERVER=$!
for _ in $(seq 100); do [ -s "$WORK/addr" ] && break; sleep 0.1; done
BASE="$(head -1 "$WORK/addr")"
BASE="${BASE%/}"

# The 20 search queries of benches/e2e_run.py, and its phrases for counts.
python3 - "$WORK" <<'PY'
import sys, urllib.parse
work = sys.argv[1]
queries = ["招商引资", "营商环境", "项目建设", "高质量发展", "百日会战", "专精特新",
    "营商环境 项目", '"百日会战" 招商', "招商引资 营商环境", "项目为王 招商",
    '"一网通办" 营商环境', "双过半 经济", "产业链 招商引资", "工业倍增 园区",
    "民营经济 营商环境 服务", "招商引资 项目 落地", '"拿地即开工" 项目', "放管服 改革",
    "四敢 干部", '"首席服务官" 企业 服务']
phrases = ["招商引资", "营商环境", "百日会战", "双过半", "专精特新", "项目为王",
    "工业倍增", "一网通办", "拿地即开工", "首席服务官", "的", "招"]
def lua(paths, name):
    body = ",\n".join('  "%s"' % p for p in paths)
    open(f"{work}/{name}.lua", "w").write(f"""
local paths = {{
{body}
}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
""")
q = lambda s: urllib.parse.quote(s, safe="")
lua([f"/api/search?q={q(x)}" for x in queries], "search")
open(f"{work}/search.paths", "w").write("".join(f"/api/search?q={q(x)}\n" for x in queries))
lua([f"/api/mentions?phrase={q(x)}&count=1" for x in phrases], "count")
lua([f"/api/mentions?phrase={q(x)}&by=month" for x in phrases], "month")
PY

load() { # name seconds
    $PIN_CLIENT wrk -t"$WRK_THREADS" -c"$CLIENTS" -d"$2"s --timeout 10s --latency -s "$WORK/$1.lua" "$BASE" \
        | grep RESULT | sed "s/^RESULT/$1/"
}

echo "# jianghua serve under load: $CLIENTS clients, $SECONDS_EACH s each, cache $CACHE_MB MB"
echo "index $INDEX; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
load search "$SECONDS_EACH"
load count "$SECONDS_EACH"
load month "$SECONDS_EACH"

if [ -n "$RATES" ]; then
    cargo bench -q --bench serve_open --no-run 2>/dev/null
    for rate in ${RATES//,/ }; do
        $PIN_CLIENT cargo bench -q --bench serve_open -- --base "$BASE" --paths "$WORK/search.paths" \
            --rate "$rate" --seconds "$SECONDS_EACH" --connections "$CLIENTS" \
            | grep RESULT | sed "s/^RESULT/search-open/"
    done
fi

if [ -n "$CORPUS" ]; then
    # A changed file: one line appended to a copy of the first page, so the
    # ingest reads, cleans and commits while the clients keep asking.
    FIRST="$(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.html' \) | sort | sed -n 1p)"
    cp "$FIRST" "$FIRST.bak"
    printf '\n在全市招商引资推进会上,百日会战要确保双过半。\n' >> "$FIRST"
    ( "$JH" --index "$INDEX" ingest "$CORPUS" > "$WORK/ingest.out" 2>&1; echo done > "$WORK/ingest.done" ) &
    INGEST=$!
    load search "$SECONDS_EACH" | sed 's/^search/search-during-ingest/'
    wait "$INGEST" || true
    mv "$FIRST.bak" "$FIRST"
    touch "$FIRST"
    echo "ingest during load: $(tail -1 "$WORK/ingest.out")"
    "$JH" --index "$INDEX" ingest "$CORPUS" > /dev/null 2>&1 || true
fi
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"
