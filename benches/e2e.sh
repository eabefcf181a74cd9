#!/usr/bin/env bash
# End-to-end benchmark: jianghua against ripgrep, SQLite FTS5 (trigram),
# a plain tantivy + cang-jie build and Groonga, on a corpus made by
# ../shared/bench/gen_corpus.py, in one run.
#
#   bash benches/e2e.sh [--mb 200] [--work DIR] [--runs 5] [--noop-runs 3] [--ingest-runs 3] [--listing-runs 3]
#
# See benches/README.md for what it measures and installs.
set -euo pipefail

MB=200
WORK=target/e2e
RUNS=5
NOOP_RUNS=3
INGEST_RUNS=3
LISTING_RUNS=3

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --mb) MB="$2"; shift 2 ;;
        --mb=*) MB="${1#*=}"; shift ;;
        --work) WORK="$2"; shift 2 ;;
        --work=*) WORK="${1#*=}"; shift ;;
        --runs) RUNS="$2"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --noop-runs) NOOP_RUNS="$2"; shift 2 ;;
        --noop-runs=*) NOOP_RUNS="${1#*=}"; shift ;;
        --ingest-runs) INGEST_RUNS="$2"; shift 2 ;;
        --ingest-runs=*) INGEST_RUNS="${1#*=}"; shift ;;
        --listing-runs) LISTING_RUNS="$2"; shift 2 ;;
        --listing-runs=*) LISTING_RUNS="${1#*=}"; shift ;;
        -h|--help) usage 0 ;;
        *) echo "e2e.sh: unknown argument: $1" >&2; usage 2 >&2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="../shared/bench"
if [ ! -f "$BENCH/gen_corpus.py" ]; then
    echo "e2e.sh: $ROOT/$BENCH/gen_corpus.py not found (../shared must sit beside the checkout)" >&2
    exit 1
fi

log() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- 1. setup
if ! python3 -c 'import opencc' 2>/dev/null; then
    log "installing opencc (pip)"
    python3 -m pip install --quiet opencc
fi

fts5_trigram_ok() {
    python3 - <<'EOF' 2>/dev/null
import sqlite3
c = sqlite3.connect(":memory:")
c.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
EOF
}

if ! command -v rg >/dev/null 2>&1 || ! command -v /usr/bin/time >/dev/null 2>&1 || ! fts5_trigram_ok; then
    log "installing ripgrep, sqlite3, time (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep sqlite3 libsqlite3-0 time >/dev/null
fi
command -v rg >/dev/null 2>&1 || { echo "e2e.sh: ripgrep (rg) is still missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "e2e.sh: /usr/bin/time is still missing" >&2; exit 1; }
fts5_trigram_ok || { echo "e2e.sh: Python's sqlite3 lacks FTS5 with the trigram tokenizer (SQLite >= 3.34 needed)" >&2; exit 1; }
# Groonga is one peer among several: without it that peer is skipped, not the run.
if ! command -v groonga >/dev/null 2>&1; then
    log "installing groonga-bin (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq groonga-bin >/dev/null; } ||
        log "could not install groonga-bin: the Groonga peer will be skipped"
fi

log "cargo build --release (and the peers' examples export_passages, plain_build)"
cargo build --release --quiet --bin jianghua --example export_passages --example plain_build
BIN="${CARGO_TARGET_DIR:-target}/release/jianghua"

# ---------------------------------------------------------------- 2. corpus
mkdir -p "$WORK"
CORPUS="$WORK/corpus"
NORM="$WORK/norm"
# truth.tsv is written last by both scripts: without it a folder is a leftover
# of an interrupted run, and is made again.
if [ ! -f "$CORPUS/truth.tsv" ]; then
    rm -rf "$CORPUS" "$NORM"
    log "generating the corpus ($MB MB) in $CORPUS"
    python3 "$BENCH/gen_corpus.py" --seed 1 --target-mb "$MB" --out "$CORPUS"
else
    log "corpus exists: $CORPUS (delete it to make a new one)"
fi
if [ ! -f "$NORM/truth.tsv" ]; then
    rm -rf "$NORM"
    log "normalising the corpus for the peers into $NORM"
    python3 "$BENCH/normalize.py" "$CORPUS" "$NORM"
else
    log "normalised text exists: $NORM"
fi

# ---------------------------------------------------------------- 3-7. measure
python3 benches/e2e_run.py --bin "$BIN" --work "$WORK" --mb "$MB" \
    --runs "$RUNS" --noop-runs "$NOOP_RUNS" --ingest-runs "$INGEST_RUNS" --listing-runs "$LISTING_RUNS"
