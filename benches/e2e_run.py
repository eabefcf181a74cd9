#!/usr/bin/env python3
"""Measurements of benches/e2e.sh (steps 3-7): jianghua ingest, no-op
re-ingest, mentions, listings, search; the peers ripgrep and SQLite FTS5
(trigram), and, over jianghua's cleaned passages, a plain tantivy + cang-jie
build and Groonga (e2e_peers.py); the Markdown report on stdout and in
WORK/results.md.

Run from the repository root by e2e.sh, after the build and the corpus:

  python3 benches/e2e_run.py --bin target/release/jianghua --work target/e2e

Latencies are whole-process wall times (fork/exec to exit, output read from a
pipe) measured here with time.perf_counter, except SQLite's, which are
in-process (connection open + query + fetch in this Python, no process
start-up: the peer's best case).
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

import e2e_peers

# One-char phrases, timed like the planted ones (the 20x target holds for
# them too): the commonest char, one of 招商's, one of dates, one of 会战's.
ONE_CHARS = ["的", "招", "年", "战"]

# 20 search queries of one to three terms: policy terms, planted phrases,
# exact phrases in quotes.
QUERIES = [
    "招商引资",
    "营商环境",
    "项目建设",
    "高质量发展",
    "百日会战",
    "专精特新",
    "营商环境 项目",
    '"百日会战" 招商',
    "招商引资 营商环境",
    "项目为王 招商",
    '"一网通办" 营商环境',
    "双过半 经济",
    "产业链 招商引资",
    "工业倍增 园区",
    "民营经济 营商环境 服务",
    "招商引资 项目 落地",
    '"拿地即开工" 项目',
    "放管服 改革",
    "四敢 干部",
    '"首席服务官" 企业 服务',
]

# Phrases whose full listing (`mentions PHRASE`, no --count) is timed
# against ripgrep's: the commonest char, and a planted phrase.
LISTED = ["的", "百日会战"]


def log(msg):
    print(f"== {msg}", file=sys.stderr, flush=True)


def cmd_str(argv):
    return shlex.join(str(a) for a in argv)


def timed(argv, ok=(0,)):
    """Run argv; return (seconds, stdout). Exit status outside `ok` is fatal."""
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if p.returncode not in ok:
        sys.exit(f"e2e: `{cmd_str(argv)}` exited {p.returncode}: {p.stderr.decode(errors='replace').strip()[:2000]}")
    return dt, p.stdout.decode("utf-8", errors="replace")


def repeat(argv, runs, warmup=1, ok=(0,)):
    """Warm-up runs, then `runs` timed runs; return (times, stdout of the last)."""
    out = None
    for _ in range(warmup):
        _, out = timed(argv, ok)
    times = []
    for _ in range(runs):
        dt, out = timed(argv, ok)
        times.append(dt)
    return times, out


def pct(xs, q):
    """Nearest-rank percentile."""
    s = sorted(xs)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def ms(x):
    return f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}"


def secs(x):
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def tree_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(d, f)).st_size
            except OSError:
                pass
    return total


def read_manifest(corpus):
    pages, size = 0, 0
    with open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") as m:
        next(m)
        for line in m:
            pages += 1
            size += int(line.split("\t")[4])
    return pages, size


def read_truth(corpus):
    truth = []
    with open(os.path.join(corpus, "truth.tsv"), encoding="utf-8") as t:
        next(t)
        for line in t:
            phrase, mentions, pages = line.rstrip("\n").split("\t")
            truth.append((phrase, int(mentions), int(pages)))
    return truth


def parse_time_v(path):
    """Fields of GNU time -v output."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if ":" not in line:
                continue
            k, _, v = line.strip().rpartition(": ")
            out[k.strip()] = v.strip()
    wall = out.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0:0")
    parts = [float(x) for x in wall.split(":")]
    sec = 0.0
    for x in parts:
        sec = sec * 60 + x
    return {
        "wall": sec,
        "rss_kb": int(out.get("Maximum resident set size (kbytes)", "0")),
        "cpu": out.get("Percent of CPU this job got", "?"),
        "user": float(out.get("User time (seconds)", "0")),
        "sys": float(out.get("System time (seconds)", "0")),
        "exit": out.get("Exit status", "?"),
    }


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout
        mem = next((l.split()[1] for l in free.splitlines() if l.startswith("Mem:")), "?")
    except OSError:
        mem = "?"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return nproc, mem, cpu


def git_commit():
    def g(*a):
        return subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
    c = g("rev-parse", "--short=12", "HEAD") or "?"
    if g("status", "--porcelain", "--untracked-files=no"):
        c += " (+ uncommitted changes)"
    return c


def tool_version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"


def ratio(a, b):
    return f"{a / b:.2f}" if b else "?"


def peers_report(L, jh_ingest, corpus_bytes, plain, groonga, groonga_counts, truth, mentions, export_note,
                 passages_bytes):
    """The section comparing jianghua's ingest with the plain tantivy build
    and Groonga (CPU, CPU per MB of raw pages, wall, peak RSS, size)."""
    mbs = corpus_bytes / 1e6
    L.append("## Ingest vs the indexing peers")
    L.append("")
    L.append(f"The peers index jianghua's cleaned text ({export_note}; {passages_bytes / 1e6:.1f} MB of JSON Lines, "
             "indexed in its folded form: Simplified, half-width, lower-case), so they do no decoding or cleaning; "
             "jianghua's figures are its whole ingest from the raw pages. CPU-s = user + sys; per MB = per MB of "
             "raw pages (manifest). Each is the run of median wall time.")
    L.append("")
    L.append("| build | CPU-s | CPU-s/MB | wall | peak RSS | on disk |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    rows = [("jianghua ingest (decode, clean, index; RSS: highest run)", jh_ingest)]
    rows.append(("plain tantivy + cang-jie (build only; RSS holds the loaded text, "
                 f"{plain['load_rss_kb'] / 1024:.0f} MB before the build)", plain))
    if groonga:
        rows.append((f"Groonga (load {secs(groonga['load']['wall'])} + index {secs(groonga['index']['wall'])})",
                     groonga))
    for name, r in rows:
        L.append(f"| {name} | {r['cpu']:.2f} | {r['cpu'] / mbs:.3f} | {secs(r['wall'])} | "
                 f"{r['rss_kb'] / 1024:.0f} MB | {r['bytes'] / 1e6:.1f} MB |")
    for name, r in rows[1:]:
        peer = name.split(" (")[0]
        L.append(f"| jianghua ÷ {peer} | {ratio(jh_ingest['cpu'], r['cpu'])} | {ratio(jh_ingest['cpu'], r['cpu'])} | "
                 f"{ratio(jh_ingest['wall'], r['wall'])} | {ratio(jh_ingest['rss_kb'], r['rss_kb'])} | "
                 f"{ratio(jh_ingest['bytes'], r['bytes'])} |")
    L.append("")
    jh_mb = jh_ingest["cpu"] / mbs
    if groonga:
        g_mb = groonga["cpu"] / mbs
        met = "met" if jh_mb <= g_mb else "not met"
        L.append(f"- target: ingest CPU per MB ≤ Groonga's: jianghua {jh_mb:.3f} vs Groonga {g_mb:.3f} CPU-s/MB "
                 f"(÷ {jh_mb / g_mb:.2f}): **{met}**")
    else:
        L.append("- target: ingest CPU per MB ≤ Groonga's: not measured (groonga missing)")
    rss_mb = jh_ingest["rss_kb"] / 1024
    at = ("" if mbs >= 800 else f"; this corpus is {mbs:.0f} MB, so it says little about 800 MB")
    L.append(f"- target: peak RSS < 600 MB at 800 MB: {rss_mb:.0f} MB here{at}")
    if groonga:
        L.append("")
        L.append("Groonga's phrase counts (records matching `\"PHRASE\"`; occurrences = the sum of `_score`, "
                 "which for a phrase of two or more characters is its occurrences in the record; "
                 "ms = Groonga's own elapsed time of the select; OK = equal to truth.tsv; jianghua's count "
                 "beside, since both index the same exported text):")
        L.append("")
        L.append("| phrase | truth | Groonga occurrences | records | ms | jianghua |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        same = same_jh = 0
        for phrase, want, _ in truth:
            c = groonga_counts.get(phrase)
            if c is None:
                L.append(f"| {phrase} | {want} | error | | | {mentions[phrase][1]} |")
                continue
            recs, occ, el = c
            same += occ == want
            same_jh += occ == mentions[phrase][1]
            mark = "OK" if occ == want else "**DIFF**"
            L.append(f"| {phrase} | {want} | {occ} {mark} | {recs} | {ms(el)} | {mentions[phrase][1]} |")
        L.append("")
        L.append(f"- Groonga: {same} of {len(truth)} phrase counts equal truth.tsv, "
                 f"{same_jh} of {len(truth)} equal jianghua's")
    L.append("")


def listing_report(L, listings, by_month_times):
    """The section on full listings (first line, wall, RSS) against ripgrep's."""
    L.append("## Listings: `mentions PHRASE` vs ripgrep")
    L.append("")
    L.append("Each process with stdout to a pipe, read to the end: first line = time to the first newline on "
             "stdout; wall = start to exit; RSS = peak (`wait4`). Median of the runs (RSS: highest). "
             "jianghua's lines include a header per speech and the totals line; ripgrep reads the normalised "
             "pages (chrome included).")
    L.append("")
    L.append("| command | lines | first line ms | wall ms | peak RSS |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    for name, r, _ in listings:
        first = ms(r["first"]) if r["first"] is not None else "-"
        L.append(f"| {name} | {r['lines']} | {first} | {ms(r['wall'])} | {r['rss_kb'] / 1024:.0f} MB |")
    bm = statistics.median(by_month_times)
    L.append(f"| `jianghua mentions 的 --by month` (median of {len(by_month_times)}) | | | {ms(bm)} | |")
    L.append("")
    for i, (_, r, phrase) in enumerate(listings):
        if phrase is None:
            continue
        rg_o = listings[i + 1][1]
        first = r["first"] if r["first"] is not None else float("inf")
        L.append(f"- targets for `mentions {phrase}`: first line ≤ 50 ms: {ms(first)} ms "
                 f"({'met' if first <= 0.05 else 'not met'}); RSS < 150 MB: {r['rss_kb'] / 1024:.0f} MB "
                 f"({'met' if r['rss_kb'] < 150 * 1024 else 'not met'}); total ≤ 3× `rg -o`: "
                 f"÷ {r['wall'] / rg_o['wall']:.1f} ({'met' if r['wall'] <= 3 * rg_o['wall'] else 'not met'})")
    L.append(f"- target `--by month` < 100 ms: {ms(bm)} ms ({'met' if bm < 0.1 else 'not met'})")
    L.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/jianghua")
    ap.add_argument("--work", default="target/e2e")
    ap.add_argument("--mb", default="200", help="the --mb asked for (the corpus may be older)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query, after 1 warm-up")
    ap.add_argument("--noop-runs", type=int, default=3)
    ap.add_argument("--ingest-runs", type=int, default=3,
                    help="fresh ingests (the median is reported: a shared machine is noisy)")
    ap.add_argument("--listing-runs", type=int, default=3,
                    help="timed runs of each full listing, after 1 warm-up")
    ap.add_argument("--examples", default=None,
                    help="folder of the export_passages and plain_build examples (default: beside --bin)")
    a = ap.parse_args()

    work = a.work
    corpus = os.path.join(work, "corpus")
    norm = os.path.join(work, "norm")
    pages_dir = os.path.join(norm, "pages")
    index = os.path.join(work, "index")
    fts_db = os.path.join(work, "fts5.db")
    jh = [a.bin, "--index", index]
    commands = []

    n_pages, corpus_bytes = read_manifest(corpus)
    truth = read_truth(corpus)
    norm_bytes = tree_bytes(pages_dir)
    if abs(corpus_bytes / 1e6 - float(a.mb)) > max(1.0, 0.1 * float(a.mb)):
        log(f"note: the corpus in {corpus} holds {corpus_bytes / 1e6:.1f} MB, not the --mb {a.mb} asked for; "
            f"delete {work} to make a new one")

    # ------------------------------------------------------------ 3. ingest
    # The site folders only: corpus/manifest.tsv and truth.tsv are not pages.
    sites = sorted(os.path.join(corpus, d) for d in os.listdir(corpus)
                   if os.path.isdir(os.path.join(corpus, d)) and not d.startswith("."))
    time_file = os.path.join(work, "ingest.time")
    ingest = jh + ["ingest", *sites, "--json"]
    ingest_cmd = ["/usr/bin/time", "-v", "-o", time_file] + ingest
    runs = max(1, a.ingest_runs)
    commands.append((f"ingest (fresh index, ×{runs}, median)", f"rm -rf {index} && " + cmd_str(ingest_cmd)))
    ingests = []
    for i in range(runs):
        shutil.rmtree(index, ignore_errors=True)
        log(f"jianghua ingest {i + 1}/{runs}: {n_pages} pages, {corpus_bytes / 1e6:.1f} MB")
        p = subprocess.run(ingest_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode not in (0, 3):
            sys.exit(f"e2e: ingest exited {p.returncode}: {p.stderr.decode(errors='replace')[:2000]}")
        ingests.append((parse_time_v(time_file), p.stdout))
    # The run of median wall time stands for all; every wall time is listed.
    walls = [tv["wall"] for tv, _ in ingests]
    tv, out = sorted(ingests, key=lambda r: r[0]["wall"])[len(ingests) // 2]
    peak_rss_kb = max(t["rss_kb"] for t, _ in ingests)
    try:
        rep = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        rep = {}
    failed = rep.get("failed", [])
    index_bytes = tree_bytes(index)

    noop_times, noop_out = [], ""
    for _ in range(a.noop_runs):
        dt, noop_out = timed(ingest, ok=(0, 3))
        noop_times.append(dt)
    commands.append((f"no-op re-ingest (×{a.noop_runs}, median)", cmd_str(ingest)))
    try:
        noop_rep = json.loads(noop_out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        noop_rep = {}

    # ------------------------------------------------------------ 3b. indexing peers
    # Over jianghua's own cleaned passages (exported from the index just
    # built, untimed), each built `runs` times like jianghua's ingest.
    examples = a.examples or os.path.join(os.path.dirname(a.bin), "examples")
    passages = os.path.join(work, "passages.jsonl")
    log(f"exporting the cleaned passages into {passages}")
    export_tool = os.path.join(examples, "export_passages")
    export_note = e2e_peers.export(export_tool, index, passages)
    commands.append(("export of the cleaned passages for the peers (untimed)",
                     cmd_str([export_tool, index]) + f" > {passages}"))
    log(f"plain tantivy + cang-jie build ×{runs}")
    plain_tool = os.path.join(examples, "plain_build")
    plain_dir = os.path.join(work, "plain-index")
    plain = e2e_peers.plain_build(plain_tool, passages, plain_dir, runs)
    commands.append((f"plain tantivy + cang-jie build (×{runs}, median; times its own build)",
                     cmd_str([plain_tool, passages, plain_dir])))
    groonga, groonga_counts = None, {}
    if shutil.which("groonga"):
        log(f"Groonga load + index ×{runs}")
        groonga = e2e_peers.groonga_build(passages, work, runs)
        groonga_counts = e2e_peers.groonga_counts(groonga["db"], [p for p, _, _ in truth])
        commands.append((f"Groonga load, then index (×{runs}, median)",
                         f"groonga -n {groonga['db']} < {groonga['load_path']} && "
                         f"groonga {groonga['db']} < {groonga['index_path']}"))
        commands.append(("Groonga, per phrase (records; occurrences = sum of _score)",
                         f"select Passages --match_columns text --query '\"PHRASE\"' "
                         f"--limit -1 --output_columns _score"))
    else:
        log("groonga not found (apt-get install groonga-bin): the Groonga peer is skipped")

    # ------------------------------------------------------------ 4. mentions
    log(f"jianghua mentions: {len(truth)} phrases × (1 warm-up + {a.runs})")
    mentions = {}
    for phrase, _, _ in truth:
        argv = jh + ["mentions", phrase, "--count", "--json"]
        times, out = repeat(argv, a.runs)
        occ = json.loads(out.strip().splitlines()[-1])["occurrences"]
        mentions[phrase] = (statistics.median(times), occ)
    commands.append(("mentions, per phrase", cmd_str(jh + ["mentions", "PHRASE", "--count", "--json"])))
    log(f"jianghua mentions: {len(ONE_CHARS)} one-char phrases × (1 warm-up + {a.runs})")
    for phrase in ONE_CHARS:
        argv = jh + ["mentions", phrase, "--count", "--json"]
        times, out = repeat(argv, a.runs)
        occ = json.loads(out.strip().splitlines()[-1])["occurrences"]
        mentions[phrase] = (statistics.median(times), occ)

    # ------------------------------------------------------------ 4b. listings
    # Full listings against ripgrep's over the normalised pages: `rg -o`
    # prints one line per occurrence (as a KWIC listing does), plain `rg`
    # one per matching line.
    lr = max(1, a.listing_runs)
    log(f"listings: {', '.join(LISTED)} × (1 warm-up + {lr})")
    listings = []
    for phrase in LISTED:
        listings.append((f"`jianghua mentions {phrase}`", e2e_peers.listing(jh + ["mentions", phrase], lr), phrase))
        listings.append((f"`rg -F -o {phrase}` (a line per occurrence)",
                         e2e_peers.listing(["rg", "-F", "-o", phrase, pages_dir], lr, ok=(0, 1)), None))
        listings.append((f"`rg -F {phrase}` (a line per matching line)",
                         e2e_peers.listing(["rg", "-F", phrase, pages_dir], lr, ok=(0, 1)), None))
    listings.append(("`jianghua mentions 的 --limit 10`",
                     e2e_peers.listing(jh + ["mentions", "的", "--limit", "10"], lr), None))
    head_cmd = cmd_str(jh + ["mentions", "的"]) + " | head -1"
    listings.append(("`jianghua mentions 的 \\| head -1` (the pipeline, via bash)",
                     e2e_peers.listing(["bash", "-c", head_cmd], lr), None))
    commands.append(("listings (×{lr} after 1 warm-up; first line, wall, RSS of each process)".format(lr=lr),
                     cmd_str(jh + ["mentions", "PHRASE"]) + "; " + cmd_str(["rg", "-F", "-o", "PHRASE", pages_dir])
                     + "; " + cmd_str(["rg", "-F", "PHRASE", pages_dir]) + "; " + head_cmd))
    by_month_argv = jh + ["mentions", "的", "--by", "month"]
    by_month_times, _ = repeat(by_month_argv, a.runs)
    commands.append((f"mentions by month (median of {a.runs})", cmd_str(by_month_argv)))

    # ------------------------------------------------------------ 5. search
    log(f"jianghua search: {len(QUERIES)} queries × (1 warm-up + {a.runs})")
    search_all, search_rows = [], []
    for q in QUERIES:
        argv = jh + ["search", q]
        times, out = repeat(argv, a.runs)
        search_all += times
        m = re.search(r"(\d+) of (\d+) matching passages", out)
        hits = f"{m.group(1)} of {m.group(2)}" if m else "0"
        search_rows.append((q, statistics.median(times), max(times), hits))
    commands.append(("search, per query (top 10)", cmd_str(jh + ["search", "QUERY"])))

    # ------------------------------------------------------------ 6. peers
    log(f"ripgrep: {len(truth)} phrases × (1 warm-up + {a.runs})")
    rg = {}
    for phrase in [p for p, _, _ in truth] + ONE_CHARS:
        argv = ["rg", "-F", "--count-matches", phrase, pages_dir]
        times, out = repeat(argv, a.runs, ok=(0, 1))
        count = sum(int(l.rpartition(":")[2]) for l in out.splitlines() if l.strip())
        rg[phrase] = (statistics.median(times), count)
    commands.append(("ripgrep, per phrase (sum of per-file counts)",
                     cmd_str(["rg", "-F", "--count-matches", "PHRASE", pages_dir])))

    log(f"SQLite FTS5: building {fts_db}")
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(fts_db + suffix):
            os.remove(fts_db + suffix)
    t0 = time.perf_counter()
    con = sqlite3.connect(fts_db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("CREATE VIRTUAL TABLE pages USING fts5(path UNINDEXED, body, tokenize='trigram')")

    def rows():
        for d, _, files in os.walk(pages_dir):
            for f in files:
                path = os.path.join(d, f)
                with open(path, encoding="utf-8") as fh:
                    yield (os.path.relpath(path, pages_dir), fh.read())
    with con:
        con.executemany("INSERT INTO pages(path, body) VALUES (?, ?)", rows())
    con.execute("INSERT INTO pages(pages) VALUES ('optimize')")
    con.commit()
    con.close()
    fts_build = time.perf_counter() - t0
    fts_bytes = os.path.getsize(fts_db)
    commands.append(("SQLite FTS5 build (in-process, Python sqlite3 " + sqlite3.sqlite_version + ")",
                     "CREATE VIRTUAL TABLE pages USING fts5(path UNINDEXED, body, tokenize='trigram'); "
                     "INSERT INTO pages(path, body) VALUES (?, ?) -- one row per normalised page; "
                     "INSERT INTO pages(pages) VALUES ('optimize')"))
    count_expr = "coalesce(sum((length(body) - length(replace(body, :p, ''))) / length(:p)), 0)"
    q_match = f"SELECT {count_expr} FROM pages WHERE pages MATCH :q"
    q_scan = f"SELECT {count_expr} FROM pages WHERE instr(body, :p) > 0"
    commands.append(("SQLite FTS5, phrase of ≥3 characters", q_match + "   -- :q = the phrase in double quotes"))
    commands.append(("SQLite, phrase of <3 characters (trigram MATCH cannot; full scan)", q_scan))

    log(f"SQLite FTS5: {len(truth)} phrases × (1 warm-up + {a.runs})")
    fts = {}
    for phrase, _, _ in truth:
        short = len(phrase) < 3
        sql = q_scan if short else q_match
        params = {"p": phrase, "q": '"' + phrase.replace('"', '""') + '"'}
        if short:
            del params["q"]
        times, count = [], None
        for i in range(a.runs + 1):
            t0 = time.perf_counter()
            c = sqlite3.connect(fts_db)
            count = c.execute(sql, params).fetchone()[0]
            c.close()
            if i:
                times.append(time.perf_counter() - t0)
        fts[phrase] = (statistics.median(times), int(count), "instr scan" if short else "MATCH")

    # ------------------------------------------------------------ 7. report
    nproc, mem, cpu = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mbs = corpus_bytes / 1e6
    L = []
    L.append(f"# jianghua end-to-end benchmark — {mbs:.1f} MB corpus")
    L.append("")
    L.append(f"- date: {now}; commit: {git_commit()}")
    L.append(f"- machine: nproc {nproc}, memory {mem} (`free -h`), CPU {cpu}; {platform.platform()}")
    L.append(f"- peers: {tool_version(['rg', '--version'])}; SQLite {sqlite3.sqlite_version} (Python {platform.python_version()}); "
             f"tantivy 0.27 + cang-jie 0.22 (Cargo.lock); "
             f"{tool_version(['groonga', '--version']).split(' [')[0] if groonga else 'Groonga: not found, skipped'}")
    L.append(f"- corpus: `python3 ../shared/bench/gen_corpus.py --seed 1 --target-mb {a.mb} --out {corpus}` → "
             f"{n_pages} pages, {corpus_bytes:,} bytes (manifest); normalised for the peers by "
             f"`python3 ../shared/bench/normalize.py {corpus} {norm}` → {norm_bytes:,} bytes UTF-8")
    L.append(f"- run: `bash benches/e2e.sh --mb {a.mb} --work {work} --runs {a.runs} --noop-runs {a.noop_runs} "
             f"--ingest-runs {runs} --listing-runs {lr}`")
    L.append(f"- latencies: whole-process wall time (start to exit, stdout to a pipe), 1 warm-up then "
             f"{a.runs} timed runs per query; SQLite's are in-process (connect + query, no process start-up)")
    L.append("")
    L.append("## Ingest")
    L.append("")
    L.append("| measure | value |")
    L.append("| --- | --- |")
    L.append(f"| ingest wall time (median of {len(walls)}) | {secs(tv['wall'])} "
             f"(all: {', '.join(secs(w) for w in walls)}) |")
    L.append(f"| throughput | {mbs / tv['wall']:.2f} MB/s, {n_pages / tv['wall']:.0f} pages/s |")
    L.append(f"| CPU (the median run) | {tv['cpu']} (user {tv['user']:.1f} s, sys {tv['sys']:.1f} s) |")
    L.append(f"| peak RSS (highest of the runs) | {peak_rss_kb / 1024:.0f} MB |")
    L.append(f"| index on disk | {index_bytes / 1e6:.1f} MB = {index_bytes / corpus_bytes:.2f} × corpus |")
    L.append(f"| indexed | {rep.get('speeches', '?')} speeches, {rep.get('passages', '?')} passages, "
             f"{rep.get('added', '?')} files added, {len(failed)} failed, {rep.get('duplicates', '?')} duplicates; exit {tv['exit']} |")
    L.append(f"| no-op re-ingest (median of {a.noop_runs}) | {secs(statistics.median(noop_times))} "
             f"(all: {', '.join(secs(t) for t in noop_times)}; {noop_rep.get('unchanged', '?')} unchanged, "
             f"{noop_rep.get('commits', '?')} commits) |")
    L.append(f"| SQLite FTS5 trigram build (peer) | {secs(fts_build)}, {fts_bytes / 1e6:.1f} MB = "
             f"{fts_bytes / corpus_bytes:.2f} × corpus |")
    L.append("")
    jh_ingest = {"cpu": tv["user"] + tv["sys"], "wall": tv["wall"], "rss_kb": peak_rss_kb, "bytes": index_bytes}
    peers_report(L, jh_ingest, corpus_bytes, plain, groonga, groonga_counts, truth, mentions,
                 export_note, os.path.getsize(passages))
    L.append("## Phrase counts: mentions vs ripgrep vs SQLite FTS5")
    L.append("")
    L.append("Median latency in ms; count vs `truth.tsv` mentions (OK = equal). "
             "jh/rg and jh/fts = jianghua latency ÷ peer latency (below 1: jianghua is faster; the target vs ripgrep is ≤ 0.05).")
    L.append("")
    L.append("| phrase | truth | jianghua | jh ms | rg | rg ms | FTS5 | FTS5 ms | FTS5 method | jh/rg | jh/fts |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    diffs = {"jianghua": [], "rg": [], "FTS5": []}
    ratios_rg, ratios_fts = [], []
    for phrase, want, _ in truth:
        jt, jc = mentions[phrase]
        rt, rc = rg[phrase]
        ft, fc, how = fts[phrase]

        def mark(name, got):
            if got == want:
                return f"{got} OK"
            diffs[name].append((phrase, want, got))
            return f"**{got} DIFF**"
        ratios_rg.append(jt / rt)
        ratios_fts.append(jt / ft)
        L.append(f"| {phrase} | {want} | {mark('jianghua', jc)} | {ms(jt)} | {mark('rg', rc)} | {ms(rt)} | "
                 f"{mark('FTS5', fc)} | {ms(ft)} | {how} | {jt / rt:.2f} | {jt / ft:.2f} |")
    jm = [mentions[p][0] for p, _, _ in truth]
    rm = [rg[p][0] for p, _, _ in truth]
    fm = [fts[p][0] for p, _, _ in truth]
    L.append(f"| **median of the 20** | | | {ms(statistics.median(jm))} | | {ms(statistics.median(rm))} | | "
             f"{ms(statistics.median(fm))} | | {statistics.median(ratios_rg):.2f} | {statistics.median(ratios_fts):.2f} |")
    L.append("")
    for name, d in diffs.items():
        if d:
            L.append(f"- {name} differs from truth.tsv on {len(d)} phrase(s): "
                     + "; ".join(f"{p}: truth {w}, got {g}" for p, w, g in d))
        else:
            L.append(f"- {name}: all {len(truth)} phrase counts equal truth.tsv")
    L.append(f"- jianghua vs ripgrep: worst jh/rg {max(ratios_rg):.2f}, best {min(ratios_rg):.2f}; "
             f"{sum(r <= 0.05 for r in ratios_rg)} of {len(truth)} phrases at ≤ 0.05 (20× faster)")
    L.append("")
    L.append("One-char phrases (not planted, so not in truth.tsv: ripgrep counts the whole normalised page, "
             "site chrome and stubs included, jianghua the cleaned speeches; `mentions_exact` checks "
             "jianghua's one-char counts against a plain count over the cleaned text):")
    L.append("")
    L.append("| phrase | jianghua | jh ms | rg | rg ms | jh/rg |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    one_ratios = []
    for phrase in ONE_CHARS:
        (jt, jc), (rt, rc) = mentions[phrase], rg[phrase]
        one_ratios.append(jt / rt)
        L.append(f"| {phrase} | {jc} | {ms(jt)} | {rc} | {ms(rt)} | {jt / rt:.3f} |")
    L.append("")
    L.append(f"- one-char phrases vs ripgrep: worst jh/rg {max(one_ratios):.3f}; "
             f"{sum(r <= 0.05 for r in one_ratios)} of {len(ONE_CHARS)} at ≤ 0.05")
    L.append("")
    listing_report(L, listings, by_month_times)
    L.append("## Search (top 10)")
    L.append("")
    L.append(f"Over all {len(search_all)} timed runs ({len(QUERIES)} queries × {a.runs}): "
             f"**p50 {ms(pct(search_all, 50))} ms, p95 {ms(pct(search_all, 95))} ms**, max {ms(max(search_all))} ms.")
    L.append("")
    L.append("| query | median ms | max ms | shown of matching |")
    L.append("| --- | ---: | ---: | --- |")
    for q, med, mx, hits in search_rows:
        L.append(f"| `{q}` | {ms(med)} | {ms(mx)} | {hits} |")
    L.append("")
    L.append("## Commands")
    L.append("")
    L.append("Run from the repository root; PHRASE and QUERY stand for each phrase of truth.tsv and each query above.")
    L.append("")
    for what, c in commands:
        L.append(f"- {what}: `{c}`")
    if failed:
        L.append("")
        L.append(f"Ingest named {len(failed)} file(s) as failed, e.g.: "
                 + "; ".join(f"{f.get('path')}: {f.get('reason')}" for f in failed[:5]))
    L.append("")
    text = "\n".join(L)
    with open(os.path.join(work, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    log(f"written {os.path.join(work, 'results.md')}")


if __name__ == "__main__":
    main()
