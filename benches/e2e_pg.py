#!/usr/bin/env python3
"""The PostgreSQL store next to the tantivy store (issue 17), in one run.

    python3 benches/e2e_pg.py --corpus DIR [--truth FILE] [--workers 2] [--runs 5]

DIR is a corpus of ../shared/bench/gen_corpus.py (its truth.tsv beside the
pages, or given with --truth). Starts a coordinator and --workers workers
with scripts/pg_cluster.sh in a temporary folder (stopped at the end, also
on failure), ingests DIR into a folder index and into a store sharded over
the workers, and prints, for both: ingest wall and CPU seconds (jianghua's
own; the servers' CPU is reported apart, from /proc), MB/s, the size of the
index, and for each planted phrase of truth.tsv the median of --runs timed
`mentions --count --json` (after one warm-up) with whether the count equals
the truth; then `search --json --limit 10` of each planted phrase as a word
and as a quoted phrase, --runs times each after a warm-up: p50 and p95 over
all those runs, and whether the two stores' totals agree. Release build expected at target/release/jianghua. The report
(Markdown) goes to stdout.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(f"== {msg}", file=sys.stderr, flush=True)


def run(argv, **kw):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kw)


def timed_ingest(argv):
    """Wall seconds, CPU seconds (user + sys) and peak RSS (KiB) of a run."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + argv, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"e2e_pg: {' '.join(argv)} failed:\n{p.stderr[-2000:]}")
    field = lambda name: float(re.search(rf"{name}: ([0-9.]+)", p.stderr).group(1))
    return wall, field("User time \\(seconds\\)") + field("System time \\(seconds\\)"), int(
        field("Maximum resident set size \\(kbytes\\)"))


def server_cpu(user):
    """CPU seconds used so far by the processes of `user` (the servers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid != user:
                continue
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime (fields 14-17 of stat)
            total += sum(int(x) for x in fields[11:15])
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def count_ms(jh, index, phrase, runs):
    """The count `mentions --count --json` prints, and its median wall ms."""
    argv = [jh, "--index", index, "mentions", "--count", "--json", phrase]
    out = run(argv).stdout
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run(argv)
        times.append((time.perf_counter() - t) * 1e3)
    return json.loads(out)["occurrences"], statistics.median(times)


def percentile(xs, q):
    """The q-quantile of xs (nearest rank)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--truth", default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/jianghua"))
    a = ap.parse_args()
    truth_path = a.truth or os.path.join(a.corpus, "truth.tsv")
    truth = []
    with open(truth_path, encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            phrase, mentions, _ = line.split("\t")
            truth.append((phrase, int(mentions)))
    corpus_bytes = sum(
        os.path.getsize(os.path.join(d, n))
        for d, _, names in os.walk(a.corpus) for n in names)
    mb = corpus_bytes / 1e6
    work = tempfile.mkdtemp(prefix="jianghua-e2e-pg-")
    # A folder of its own under /tmp: the servers' user must reach it.
    cluster = tempfile.mkdtemp(prefix="jianghua-e2e-pg-cluster-")
    script = os.path.join(ROOT, "scripts/pg_cluster.sh")
    try:
        log(f"starting a coordinator and {a.workers} workers")
        env = run([script, "start", cluster, "--workers", str(a.workers)]).stdout
        url = re.search(r"JIANGHUA_PG_URL=(\S+)", env).group(1)
        shards = re.search(r'JIANGHUA_PG_SHARDS="([^"]*)"', env).group(1).split()
        run(["psql", url, "-qc", "CREATE EXTENSION IF NOT EXISTS postgres_fdw"])
        init = [a.bin, "--index", url, "pg", "init"]
        for s in shards:
            init += ["--shard", s]
        run(init)
        pg_user = os.stat(os.path.join(cluster, "coordinator")).st_uid

        log("ingest into a folder index")
        ix = os.path.join(work, "index")
        t_wall, t_cpu, t_rss = timed_ingest([a.bin, "--index", ix, "ingest", a.corpus])
        log("ingest into the PostgreSQL store")
        before = server_cpu(pg_user)
        p_wall, p_cpu, p_rss = timed_ingest([a.bin, "--index", url, "ingest", a.corpus])
        p_server = server_cpu(pg_user) - before
        size = lambda index: json.loads(run([a.bin, "--index", index, "stats", "--json"]).stdout)
        t_stats, p_stats = size(ix), size(url)
        if (t_stats["speeches"], t_stats["passages"]) != (p_stats["speeches"], p_stats["passages"]):
            sys.exit(f"e2e_pg: the stores differ: {t_stats} / {p_stats}")

        log(f"mentions --count for {len(truth)} phrases, {a.runs} runs each")
        rows = []
        for phrase, want in truth:
            tc, tms = count_ms(a.bin, ix, phrase, a.runs)
            pc, pms = count_ms(a.bin, url, phrase, a.runs)
            rows.append((phrase, want, tc, tms, pc, pms))

        log(f"search for {2 * len(truth)} queries, {a.runs} runs each")
        t_times, p_times, agree = [], [], 0
        queries = [q for phrase, _ in truth for q in (phrase, f'"{phrase}"')]
        for q in queries:
            totals = []
            for index, times in ((ix, t_times), (url, p_times)):
                # The human form ends with "0 of N matching passages".
                totals.append(run([a.bin, "--index", index, "search", "--limit", "0",
                                   q]).stdout.strip().splitlines()[-1:])
                argv = [a.bin, "--index", index, "search", "--json", "--limit", "10", q]
                run(argv)
                for _ in range(a.runs):
                    t = time.perf_counter()
                    run(argv)
                    times.append((time.perf_counter() - t) * 1e3)
            agree += totals[0] == totals[1]
    finally:
        subprocess.run([script, "stop", cluster], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(cluster, ignore_errors=True)

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"# The PostgreSQL store next to the tantivy store: {mb:.0f} MB, {a.workers} workers")
    print()
    print(f"Commit {commit}; {os.cpu_count()} cores; corpus {a.corpus} "
          f"({t_stats['speeches']:,} speeches, {t_stats['passages']:,} passages); "
          f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}.")
    print()
    print("| store | ingest wall s | MB/s | jianghua CPU s | servers' CPU s | jianghua peak RSS MiB | index MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| folder (tantivy) | {t_wall:.1f} | {mb / t_wall:.2f} | {t_cpu:.1f} | - | "
          f"{t_rss / 1024:.0f} | {t_stats['index_bytes'] / 1e6:.0f} |")
    print(f"| PostgreSQL, {a.workers} workers | {p_wall:.1f} | {mb / p_wall:.2f} | {p_cpu:.1f} | "
          f"{p_server:.1f} | {p_rss / 1024:.0f} | {p_stats['index_bytes'] / 1e6:.0f} |")
    print()
    print(f"`mentions --count --json`, median of {a.runs} runs (whole process, ms); "
          "OK = the occurrences equal truth.tsv.")
    print()
    print("| phrase | truth | folder ms | | PostgreSQL ms | |")
    print("| --- | ---: | ---: | --- | ---: | --- |")
    for phrase, want, tc, tms, pc, pms in rows:
        ok = lambda got: "OK" if got == want else f"{got}"
        print(f"| {phrase} | {want} | {tms:.1f} | {ok(tc)} | {pms:.1f} | {ok(pc)} |")
    tm = statistics.median(r[3] for r in rows)
    pm = statistics.median(r[5] for r in rows)
    same = sum(r[2] == r[4] for r in rows)
    print()
    print(f"Median over the phrases: folder {tm:.1f} ms, PostgreSQL {pm:.1f} ms; "
          f"the two stores agree on {same} of {len(rows)} counts.")
    print()
    print(f"`search --json --limit 10`, each planted phrase as a word and quoted "
          f"({len(queries)} queries × {a.runs} runs, whole process, ms): folder p50 "
          f"{percentile(t_times, 0.5):.1f} / p95 {percentile(t_times, 0.95):.1f}, PostgreSQL p50 "
          f"{percentile(p_times, 0.5):.1f} / p95 {percentile(p_times, 0.95):.1f}; the totals "
          f"(`--limit 0`) agree on {agree} of {len(queries)} queries.")


if __name__ == "__main__":
    main()
