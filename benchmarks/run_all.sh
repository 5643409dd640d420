#!/usr/bin/env bash
# Every issue 19 benchmark in one run, one after the other, each with the machine's load before
# and after it (docs/performance.md section 8 is the table of one such run).
#
#   benchmarks/run_all.sh [OUT_DIR]            # default: bench-results/<UTC time>
#
# Needs PostgreSQL at $DATABASE_URL (default postgres://vern:vern@127.0.0.1:5432/vern; the
# scripts create and drop their own scratch databases next to it) and the venv (.venv).
# Set VERN_BENCH_QUICK=1 for a short smoke run (small sizes, figures not comparable; it skips
# the PostgreSQL statistics, whose scratch database holds the full run's data).
# The statistics benchmark reuses its data when it exists (--reuse: SQLite in
# $VERN_BENCH_STATS_DIR, default /var/tmp/vern-bench-stats; PostgreSQL in vern_bench_stats).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PG=${DATABASE_URL:-postgres://vern:vern@127.0.0.1:5432/vern}
OUT=${1:-bench-results/$(date -u +%Y%m%dT%H%M%SZ)}
STATS_DIR=${VERN_BENCH_STATS_DIR:-/var/tmp/vern-bench-stats}
export PYTHONPATH=src

if [ "${VERN_BENCH_QUICK:-0}" = 1 ]; then
    CASES=300 EVENTS=20000 AFTER=2000 SIZES=20,50,100 LOAD_CASES=200 DURATION=3 REPEAT=1
    STATS_DIR=$STATS_DIR-quick
else
    CASES=100000 EVENTS=5000000 AFTER=100000 SIZES=100,500,1000 LOAD_CASES=1800 DURATION=20 \
        REPEAT=3
fi
mkdir -p "$OUT" "$STATS_DIR"

machine() {
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
        echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
        echo "nproc: $(nproc)"
        echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
        echo "python: $($PY -c 'import sys; print(sys.version.split()[0])')"
        echo "sqlite: $($PY -c 'import sqlite3; print(sqlite3.sqlite_version)')"
        echo "postgresql: $(psql "${PG%/*}/postgres" -Atc 'show server_version' 2>/dev/null || echo unknown)"
    } >"$OUT/machine.txt"
    cat "$OUT/machine.txt"
}

step() {
    local name=$1
    shift
    echo "== $name: $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/steps.txt"
    local start rc=0
    start=$(date +%s)
    "$@" >"$OUT/$name.txt" 2>&1 || rc=$?
    echo "   $name: exit $rc in $(($(date +%s) - start)) s (load $(cut -d' ' -f1-3 /proc/loadavg))" \
        | tee -a "$OUT/steps.txt"
    tail -n 25 "$OUT/$name.txt"
}

machine
step rules "$PY" benchmarks/bench_rules.py
step query_counts "$PY" benchmarks/query_counts.py
step profile_case_page "$PY" benchmarks/profile_case_page.py --requests 100 --top 30
step load env DATABASE_URL="$PG" "$PY" benchmarks/load.py --levels 1,20,50 \
    --duration "$DURATION" --cases "$LOAD_CASES"
step case_summary "$PY" benchmarks/bench_case_summary.py --sizes "$SIZES" --repeat "$REPEAT"
step pdf "$PY" benchmarks/bench_pdf.py
step stats_sqlite "$PY" benchmarks/bench_stats.py --cases "$CASES" --data-dir "$STATS_DIR" --reuse
# The quick run leaves PostgreSQL's statistics data (the fixed scratch database) alone.
[ "${VERN_BENCH_QUICK:-0}" = 1 ] || step stats_postgresql env DATABASE_URL="$PG" "$PY" benchmarks/bench_stats.py --cases "$CASES" \
    --reuse
step audit_sqlite "$PY" benchmarks/bench_audit_verify.py --events $((EVENTS / 5)) \
    --after "$AFTER" --repeat 2
step audit_postgresql env DATABASE_URL="$PG" "$PY" benchmarks/bench_audit_verify.py \
    --events "$EVENTS" --after "$AFTER" --repeat 2
echo "all figures in $OUT"
