#!/usr/bin/env python3
"""Fails when a Catch2 test name holds a ';' or a '"': catch_discover_tests splits names at ';'
and Catch2's test specs read quotes, so such a test is registered under a name that matches
nothing, and ctest counts its "No tests ran" as a pass."""
import glob
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
bad = []
for path in sorted(glob.glob(f"{root}/tests/**/*.cpp", recursive=True)):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        m = re.search(r'TEST_CASE(?:_METHOD)?\((?:\w+,\s*)?"((?:[^"\\]|\\.)*)"', line)
        if m and (";" in m.group(1) or '\\"' in m.group(1)):
            bad.append(f"{path}:{n}: test name holds ';' or a quote (ctest would never run it): {m.group(1)}")
print("\n".join(bad) if bad else "check_test_names: no test name holds ';' or a quote")
sys.exit(1 if bad else 0)
