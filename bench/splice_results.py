#!/usr/bin/env python3
"""Puts a markdown fragment into bench/RESULTS.md between <!-- NAME:begin --> and <!-- NAME:end -->,
replacing the block of that name or appending it. write_results.py keeps such blocks when it
regenerates the file, so the load and soak figures survive a new side-by-side run.

Usage: splice_results.py NAME FRAGMENT.md RESULTS.md
"""
import os
import re
import sys


def splice(text, name, fragment):
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{fragment.strip()}\n{end}\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip("\n") + "\n\n" + block


def blocks(text):
    """Every spliced block of `text`, in order, as (name, whole block)."""
    return [(m.group(1), m.group(0)) for m in
            re.finditer(r"<!-- (\w+):begin -->.*?<!-- \1:end -->\n?", text, re.S)]


def main():
    name, fragment_path, target = sys.argv[1:4]
    with open(fragment_path) as f:
        fragment = f.read()
    text = open(target).read() if os.path.exists(target) else "# Benchmark results\n"
    with open(target, "w") as f:
        f.write(splice(text, name, fragment))
    print(f"wrote the {name} section of {target}")


if __name__ == "__main__":
    main()
