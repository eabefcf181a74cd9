#!/usr/bin/env python3
"""The reliability run: crashes, full disks, hostile input and fuzzed queries
against a release binary, on a corpus made by ../shared/bench/gen_corpus.py.

    python3 benches/reliability.py --bin target/release/jianghua --corpus DIR --work DIR
        [--kills 30] [--rebuild-kills 5] [--fuzz 4000] [--seed 1]

Prints a Markdown table: each test, how many runs, and what came out. Every
check compares with a clean ingest of the same folder (stats and the counts
of a few phrases), so "0 lost" means every run ended equal to it. Needs root
for the full-disk row (a small tmpfs is mounted and unmounted); without root
that row says it was skipped. Bounded: every process it starts has a time
limit, and a process that passes it is killed and counted as a hang.
"""

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time

PHRASES = ["百日会战", "招商引资", "双过半", "的"]
FAILPOINTS = [
    "rebuild:locked",
    "rebuild:created",
    "rebuild:ingested",
    "publish:written",
    "publish:renamed",
    "rebuild:cleaned",
]


class J:
    """The binary, with an index."""

    def __init__(self, binary, index):
        self.bin = binary
        self.index = index

    def run(self, *args, timeout=120, env=None):
        e = dict(os.environ, NO_COLOR="1")
        e.pop("JIANGHUA_FAILPOINT", None)
        if env:
            e.update(env)
        t = time.monotonic()
        try:
            p = subprocess.run(
                [self.bin, "--index", self.index, *args],
                capture_output=True,
                timeout=timeout,
                env=e,
            )
            return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), time.monotonic() - t
        except subprocess.TimeoutExpired:
            return "hang", "", "", time.monotonic() - t

    def spawn(self, *args):
        return subprocess.Popen(
            [self.bin, "--index", self.index, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def state(self):
        """What the index answers: stats and phrase counts, or None."""
        code, out, _, _ = self.run("stats", "--json")
        if code != 0:
            return None
        s = json.loads(out)
        counts = []
        for ph in PHRASES:
            code, out, _, _ = self.run("mentions", ph, "--count", "--json")
            if code != 0:
                return None
            counts.append(json.loads(out)["occurrences"])
        key = (s["speeches"], s["passages"], s["sources"], tuple(counts))
        return key, s.get("leftovers", [])


def fresh(work, name):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    return d


def kill_after(proc, seconds):
    time.sleep(seconds)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def row(rows, test, runs, result):
    rows.append((test, runs, result))
    print(f"  {test}: {result}", file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--rebuild-kills", type=int, default=5)
    ap.add_argument("--fuzz", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    binary = os.path.abspath(a.bin)
    corpus = os.path.abspath(a.corpus)
    os.makedirs(a.work, exist_ok=True)
    work = os.path.abspath(a.work)
    rows = []

    # The truth: one clean ingest.
    clean = J(binary, fresh(work, "clean"))
    code, _, err, secs = clean.run("ingest", corpus, "--batch", "50", timeout=1800)
    assert code in (0, 3), err
    want, _ = clean.state()
    print(f"clean ingest: {secs:.1f} s, {want}", file=sys.stderr)

    # 1. kill -9 during ingest, fresh and growing.
    sites = sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d)))
    lost = corrupt = 0
    for i in range(a.kills):
        j = J(binary, fresh(work, "kill"))
        if i % 2 == 1:  # growing: part of the folder first
            j.run("ingest", *[os.path.join(corpus, s) for s in sites[: max(1, len(sites) // 2)]], timeout=1800)
        p = j.spawn("ingest", corpus, "--batch", "50")
        kill_after(p, rnd.uniform(0.05, max(0.2, secs)))
        # Killed before its first commit there is no index yet; anything
        # else must open and answer.
        if j.state() is None and "no index" not in j.run("stats")[2]:
            corrupt += 1
        j.run("ingest", corpus, "--batch", "50", timeout=1800)
        st = j.state()
        if st is None or st[0] != want:
            lost += 1
    row(rows, "kill -9 during ingest (fresh, growing, `--batch 50`)", a.kills, f"{corrupt} corrupt, {lost} differ from a clean ingest")

    # 2. kill -9 during rebuild.
    j = J(binary, fresh(work, "rebuild"))
    j.run("ingest", corpus, timeout=1800)
    bad = 0
    left_bytes = []
    for _ in range(a.rebuild_kills):
        p = j.spawn("rebuild")
        kill_after(p, rnd.uniform(0.1, max(0.3, secs)))
        st = j.state()
        if st is None or st[0] != want:
            bad += 1
        else:
            left_bytes.append(sum(x["bytes"] for x in st[1]))
    j.run("ingest", corpus, timeout=1800)
    st = j.state()
    after = sum(x["bytes"] for x in st[1]) if st else -1
    row(
        rows,
        "kill -9 during `rebuild`",
        a.rebuild_kills,
        f"{bad} runs with the index changed or missing; leftovers reported after kills: "
        f"{max(left_bytes or [0]) / 1e6:.1f} MB at most; after the next ingest: {after} bytes",
    )

    # 3. a crash at each step of the swap.
    bad = 0
    for point in FAILPOINTS:
        code, _, _, _ = j.run("rebuild", env={"JIANGHUA_FAILPOINT": point}, timeout=1800)
        st = j.state()
        if code == 0 or st is None or st[0] != want:
            bad += 1
    j.run("ingest", corpus, timeout=1800)
    st = j.state()
    row(rows, "crash at each step of the swap (failpoints)", len(FAILPOINTS),
        f"{bad} with no index or another index at the path; leftovers after the next ingest: {len(st[1]) if st else '?'}")

    # 4. queries during ingest and rebuild.
    q = J(binary, fresh(work, "queries"))
    q.run("ingest", os.path.join(corpus, sites[0]), timeout=1800)
    failures = total = 0
    for job in (("ingest", corpus, "--batch", "50"), ("rebuild",)):
        p = q.spawn(*job)
        while p.poll() is None and total < 600:
            for args in (("search", "招商引资", "--json"), ("mentions", "百日会战", "--count"), ("stats",)):
                total += 1
                if q.run(*args, timeout=60)[0] != 0:
                    failures += 1
        p.wait()
    row(rows, "queries during ingest / rebuild", total, f"{failures} failures")

    # 5. a second writer.
    times = []
    for _ in range(6):
        p = q.spawn("rebuild")
        time.sleep(0.3)
        code, _, err, t = q.run("ingest", corpus)
        p.wait()
        if code == 1 and len(err.strip().splitlines()) == 1:
            times.append(t)
    row(rows, "second writer", 6, f"{len(times)} failed at once, in {min(times or [0]):.2f}–{max(times or [0]):.2f} s, one sentence")

    # 6. a full disk.
    if os.geteuid() == 0:
        mnt = fresh(work, "small-disk")
        os.makedirs(mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=30m", "tmpfs", mnt], check=True)
        try:
            d = J(binary, os.path.join(mnt, "index"))
            code, _, err, _ = d.run("ingest", corpus, "--batch", "50", timeout=1800)
            kept = d.state()
            gen = open(os.path.join(mnt, "index", "CURRENT")).read().strip()
            data = os.path.join(mnt, "index", gen)
            meta = open(os.path.join(data, "meta.json")).read().replace("-", "")
            orphan = sum(
                os.path.getsize(os.path.join(data, f))
                for f in os.listdir(data)
                if len(f) > 33 and f[32] == "." and f[:32] not in meta
            )
            subprocess.run(["mount", "-o", "remount,size=400m", mnt], check=True)
            d.run("ingest", corpus, "--batch", "50", timeout=1800)
            resumed = d.state()
            row(
                rows,
                "disk full (30 MB tmpfs)",
                1,
                f"exit {code}; {err.strip()[:160]}…; last commit answers: {kept is not None}; "
                f"orphan bytes {orphan}; resumed equal to a clean ingest: {resumed is not None and resumed[0] == want}",
            )
        finally:
            subprocess.run(["umount", mnt])
    else:
        row(rows, "disk full (30 MB tmpfs)", 0, "skipped: needs root")

    # 7. query fuzzing.
    alphabet = list("招商引资百日会战双过半专精特新的年营商环境一网通办") + list(" \"“”-:：()（）") + ["OR", "title:", "site:", "a", "3", "+", "\u3000", "\ufffd", "\\", "*", "?"]
    panics = hangs = 0
    slowest = (0.0, "")
    durations = []
    for i in range(a.fuzz):
        n = rnd.choice([1, 2, 5, 20, 100, 999, 1000, 1001, 5000, 10000])
        if rnd.random() < 0.3:
            unit = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6)))
            text = (unit * (n // len(unit) + 1))[:n]
        else:
            text = "".join(rnd.choice(alphabet) for _ in range(n))
        cmd = ("search", text) if i % 2 == 0 else ("mentions", text, "--count")
        code, _, err, t = clean.run(*cmd, timeout=60)
        durations.append(t)
        if code == "hang":
            hangs += 1
        elif code == 101 or "panicked" in err:
            panics += 1
        if t > slowest[0]:
            slowest = (t, f"{cmd[0]} of {n} chars")
    row(rows, "query fuzzing (search, mentions)", a.fuzz,
        f"{panics} panics, {hangs} hangs; median {statistics.median(durations) * 1e3:.0f} ms, slowest {slowest[0]:.2f} s ({slowest[1]})")

    # 8. deeply nested HTML.
    para = "<p>同志们，今天我们召开全县招商引资百日会战动员大会。</p>"
    for depth in (100_000, 200_000, 1_000_000):
        path = os.path.join(work, f"nested-{depth}.html")
        with open(path, "w") as f:
            f.write("<html><body>" + "<div>" * depth + para + "</div>" * depth + "</body></html>")
        code, out, err, t = clean.run("clean", path, "--json", timeout=600)
        ok = code in (0, 3) and "百日会战" in out
        row(rows, f"{depth // 1000}k nested `<div>` page ({os.path.getsize(path) / 1e6:.1f} MB)", 1,
            f"{t:.2f} s, exit {code}, paragraph kept: {ok}" + ("" if code in (0, 3) else f" ({err.strip()[:100]})"))

    # 9. clean on a FIFO.
    fifo = os.path.join(work, "pipe.txt")
    if os.path.exists(fifo):
        os.remove(fifo)
    os.mkfifo(fifo)
    code, _, err, t = clean.run("clean", fifo, timeout=20)
    row(rows, "`clean` on a FIFO", 1, f"exit {code} in {t:.2f} s: {err.strip()[:120]}")

    print("| test | runs | result |")
    print("|---|---|---|")
    for test, runs, result in rows:
        print(f"| {test} | {runs} | {result} |")


if __name__ == "__main__":
    main()
