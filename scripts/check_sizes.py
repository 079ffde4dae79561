#!/usr/bin/env python3
"""Keeps the code readable in pieces: no source file over MAX_FILE lines and no function over
MAX_FUNCTION lines in core/, searchd/ and indexer/ (docs/DESIGN.md, "Layers").

Function extents come from Universal Ctags (`--fields=+ne`: start and end line of every
function, member functions and constructors included; a lambda counts as part of the function
that holds it). Exit status 1 and one line per offender when a limit is exceeded.

Usage: scripts/check_sizes.py [--report N]   (--report: also list the N longest functions)
"""
import argparse
import pathlib
import shutil
import subprocess
import sys

MAX_FILE = 600
MAX_FUNCTION = 120
DIRS = ("core", "searchd", "indexer")
SUFFIXES = (".cpp", ".h")


def sources(root):
    for d in DIRS:
        for p in sorted((root / d).rglob("*")):
            if p.suffix in SUFFIXES and p.is_file():
                yield p


def functions(root, files):
    """(lines, "path:line", name) for every function ctags finds in `files`."""
    out = subprocess.run(
        [shutil.which("ctags-universal") or "ctags", "--fields=+ne", "--c++-kinds=f", "--language-force=C++", "-o", "-"]
        + [str(f.relative_to(root)) for f in files],
        cwd=root, check=True, capture_output=True, text=True).stdout
    for row in out.splitlines():
        cols = row.split("\t")
        fields = dict(c.split(":", 1) for c in cols[3:] if ":" in c)
        if "line" in fields and "end" in fields:
            start, end = int(fields["line"]), int(fields["end"])
            yield end - start + 1, f"{cols[1]}:{start}", cols[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", type=int, default=0)
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent
    files = list(sources(root))
    bad = []
    for f in files:
        n = sum(1 for _ in f.open(encoding="utf-8"))
        if n > MAX_FILE:
            bad.append(f"{f.relative_to(root)}: {n} lines (at most {MAX_FILE} per file)")
    funcs = sorted(functions(root, files), reverse=True)
    for n, where, name in funcs:
        if n > MAX_FUNCTION:
            bad.append(f"{where}: {name} is {n} lines (at most {MAX_FUNCTION} per function)")
    for n, where, name in funcs[: args.report]:
        print(f"{n:5d}  {where}  {name}")
    for line in bad:
        print(line, file=sys.stderr)
    if not bad:
        print(f"check_sizes: {len(files)} files, {len(funcs)} functions within limits")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
