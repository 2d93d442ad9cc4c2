"""Summarise pytest junit XML files: 'N passed, N failed, N skipped' (one file) or a total line."""

import sys
import xml.etree.ElementTree as ET


def counts(path):
    try:
        root = ET.parse(path).getroot()  # noqa: S314 (our own pytest output)
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed, skipped


def main(argv):
    total = argv and argv[0] == "--total"
    paths = argv[1:] if total else argv
    results = [counts(p) for p in paths]
    if any(r is None for r in results):
        print("0 passed, 1 failed (a test pass did not finish)")
        return
    passed = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    skipped = sum(r[2] for r in results)
    prefix = "total: " if total else ""
    print(f"{prefix}{passed} passed, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    main(sys.argv[1:])
