"""The indexing peers and the listing measurements of benches/e2e.sh
(issue 15: "ingest at the peers' CPU, mentions that stream"), used by
e2e_run.py.

- `export`: jianghua's cleaned passages and titles as JSON Lines
  (examples/export_passages.rs), untimed, so the peers index exactly the
  text jianghua indexed.
- `plain_build`: tantivy + cang-jie with tantivy's defaults over that text
  (examples/plain_build.rs, which times its own build).
- `groonga_build`: Groonga, one record per passage, a TokenBigram +
  NormalizerAuto lexicon with a WITH_POSITION index; load, then the index
  (static index construction, Groonga's fast path), two `groonga` processes
  timed by their rusage. `groonga_counts`: each phrase's matching records
  and occurrences (the sum of `_score`, which for a phrase of two or more
  characters is its number of occurrences in the record).
- `measure`: one process with stdout to a pipe: time to the first line,
  wall, CPU and peak RSS (from `os.wait4`), lines read.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def measure(argv, stdin_path=None, keep=False, ok=(0,)):
    """Run argv with stdout to a pipe, read it all; return a dict: `first`
    (seconds to the first newline, None without one), `wall`, `cpu` (user +
    sys of the process and the children it waited for), `rss_kb` (their
    peak), `lines`, `out` (the bytes, when `keep`)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=err)
        first, lines, kept = None, 0, []
        fd = p.stdout.fileno()
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            n = chunk.count(b"\n")
            if n and first is None:
                first = time.perf_counter() - t0
            lines += n
            if keep:
                kept.append(chunk)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stdout.close()
        if stdin_path:
            stdin.close()
        if p.returncode not in ok:
            err.seek(0)
            msg = err.read().decode(errors="replace").strip()[:2000]
            sys.exit(f"e2e: `{' '.join(map(str, argv))}` exited {p.returncode}: {msg}")
    return {"first": first, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
            "rss_kb": ru.ru_maxrss, "lines": lines, "out": b"".join(kept)}


def median_run(runs, key="wall"):
    """The run of median `key` (it stands for all, as for jianghua's ingest)."""
    return sorted(runs, key=lambda r: r[key])[len(runs) // 2]


def export(tool, index, out_path):
    """examples/export_passages over the index into out_path (untimed)."""
    with open(out_path, "wb") as out:
        p = subprocess.run([tool, index], stdout=out, stderr=subprocess.PIPE)
    if p.returncode:
        sys.exit(f"e2e: export_passages exited {p.returncode}: {p.stderr.decode(errors='replace')[:2000]}")
    return p.stderr.decode(errors="replace").strip()


def plain_build(tool, jsonl, out_dir, runs):
    """examples/plain_build, `runs` times into a fresh out_dir; the run of
    median build wall time, with `process_wall` and `rss_kb` of its process
    and `cpu`/`wall` the build's own figures."""
    results = []
    for _ in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        m = measure([tool, jsonl, out_dir], keep=True)
        r = json.loads(m["out"].decode().strip().splitlines()[-1])
        results.append({"cpu": r["build_cpu"], "wall": r["build_wall"], "process_wall": m["wall"],
                        "rss_kb": m["rss_kb"], "load_rss_kb": r["load_rss_kb"],
                        "docs": r["docs"], "bytes": r["index_bytes"]})
    return median_run(results)


GROONGA_SCHEMA = ("table_create Passages TABLE_NO_KEY\n"
                  "column_create Passages text COLUMN_SCALAR LongText\n")
GROONGA_INDEX = ("table_create Terms TABLE_PAT_KEY ShortText "
                 "--default_tokenizer TokenBigram --normalizer NormalizerAuto\n"
                 "column_create Terms passages_text COLUMN_INDEX|WITH_POSITION Passages text\n")


def groonga_responses(out):
    """The JSON responses of a `groonga` run, each `[[status, start, elapsed], body]`."""
    text, dec, at, res = out.decode("utf-8", errors="replace"), json.JSONDecoder(), 0, []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return res
        r, at = dec.raw_decode(text, at)
        res.append(r)


def groonga_check(out, what):
    bad = [r for r in groonga_responses(out) if r[0][0] != 0]
    if bad:
        sys.exit(f"e2e: groonga {what} failed: {json.dumps(bad[0], ensure_ascii=False)[:2000]}")


def groonga_build(jsonl, work, runs, field="folded"):
    """Groonga over the exported passages, `runs` times into a fresh
    database: the run of median wall time (load + index), as a dict with
    `cpu`, `wall`, `rss_kb`, `load` and `index` (the two processes), `db`,
    `bytes`, `records`. The `load` file is written first, untimed."""
    load_path = os.path.join(work, "groonga-load.grn")
    index_path = os.path.join(work, "groonga-index.grn")
    records = 0
    with open(jsonl, encoding="utf-8") as f, open(load_path, "w", encoding="utf-8") as o:
        o.write(GROONGA_SCHEMA + "load --table Passages --columns text\n[\n")
        for line in f:
            o.write(("" if records == 0 else ",\n") + json.dumps([json.loads(line)[field]], ensure_ascii=False))
            records += 1
        o.write("\n]\n")
    with open(index_path, "w", encoding="utf-8") as o:
        o.write(GROONGA_INDEX)
    db_dir = os.path.join(work, "groonga")
    db = os.path.join(db_dir, "db")
    results = []
    for _ in range(runs):
        shutil.rmtree(db_dir, ignore_errors=True)
        os.makedirs(db_dir)
        load = measure(["groonga", "-n", db], stdin_path=load_path, keep=True)
        groonga_check(load["out"], "load")
        index = measure(["groonga", db], stdin_path=index_path, keep=True)
        groonga_check(index["out"], "index build")
        results.append({"cpu": load["cpu"] + index["cpu"], "wall": load["wall"] + index["wall"],
                        "rss_kb": max(load["rss_kb"], index["rss_kb"]), "load": load, "index": index})
    r = median_run(results)
    # Allocated bytes (as `du`): Groonga's files are sparse, preallocated.
    r.update(db=db, records=records, load_path=load_path, index_path=index_path,
             bytes=sum(os.stat(os.path.join(db_dir, f)).st_blocks * 512 for f in os.listdir(db_dir)))
    return r


def groonga_quote(s):
    """A Groonga command argument in single quotes."""
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def groonga_counts(db, phrases):
    """Per phrase: (matching records, sum of `_score`, Groonga's own elapsed
    seconds for the select), from one `groonga` process."""
    script = "".join(
        "select Passages --match_columns text --query "
        + groonga_quote('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"')
        + " --limit -1 --output_columns _score\n"
        for p in phrases)
    with tempfile.NamedTemporaryFile("w", suffix=".grn", encoding="utf-8", delete=False) as f:
        f.write(script)
    try:
        m = measure(["groonga", db], stdin_path=f.name, keep=True)
    finally:
        os.remove(f.name)
    res = groonga_responses(m["out"])
    out = {}
    for p, r in zip(phrases, res):
        if r[0][0] != 0:
            out[p] = None
            continue
        block = r[1][0]
        out[p] = (block[0][0], sum(row[0] for row in block[2:]), r[0][2])
    return out


def listing(argv, runs, ok=(0,)):
    """`runs` measured runs after one warm-up: median first-line latency
    and wall, highest peak RSS, lines (of the last run)."""
    measure(argv, ok=ok)
    ms = [measure(argv, ok=ok) for _ in range(runs)]
    firsts = [m["first"] for m in ms if m["first"] is not None]
    return {"first": statistics.median(firsts) if firsts else None,
            "wall": statistics.median(m["wall"] for m in ms),
            "rss_kb": max(m["rss_kb"] for m in ms), "lines": ms[-1]["lines"]}
