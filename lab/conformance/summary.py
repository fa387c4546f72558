"""Count a conformance run: summary.py REPORT_DIR [--suite suite.yml] [--conformance conformance.yaml]
                                              [--mode full|subset] [--json OUT]

REPORT_DIR holds the JUnit files ginkgo wrote (lab/conformance/run.sh: report/parallel and
report/serial). Only [Conformance] tests are counted; a test is failed if any report says so,
passed if one says so, else skipped. With --conformance (the tree's
test/conformance/testdata/conformance.yaml) every conformance test of the release is accounted
for: those in no report are listed as "not run". Tests matching suite.yml's conformance_skip are
counted as skipped on purpose and listed with their reason.

Prints the totals and the failed tests; the exit status is 1 when a test failed, when none
passed, or (in full mode) when a conformance test was neither run nor skipped on purpose.
"""
import argparse
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import yaml

MARK = "[Conformance]"


def read_reports(report_dir):
    status = {}
    order = {"skipped": 0, "passed": 1, "failed": 2}
    files = sorted(glob.glob(os.path.join(report_dir, "**", "junit_*.xml"), recursive=True))
    for path in files:
        for case in ET.parse(path).getroot().iter("testcase"):
            name = case.get("name", "")
            if MARK not in name:
                continue
            if case.find("failure") is not None or case.find("error") is not None:
                result = "failed"
            elif case.find("skipped") is not None:
                result = "skipped"
            else:
                result = "passed"
            if order[result] >= order[status.get(name, "skipped")]:
                status[name] = result
    return files, status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report_dir")
    parser.add_argument("--suite", help="lab/conformance/suite.yml (the skip list and its reasons)")
    parser.add_argument("--conformance", help="the release's conformance.yaml (every test's name)")
    parser.add_argument("--mode", choices=["full", "subset"], default="full",
                        help="subset: only some tests ran, the others not running is expected")
    parser.add_argument("--json", help="write the counts and names here")
    args = parser.parse_args()

    files, status = read_reports(args.report_dir)
    if not files:
        print(f"conformance: no JUnit report in {args.report_dir}: the suite did not run")
        return 1
    skips = []
    if args.suite:
        with open(args.suite, encoding="utf-8") as handle:
            skips = yaml.safe_load(handle).get("conformance_skip") or []
    expected = []
    if args.conformance:
        with open(args.conformance, encoding="utf-8") as handle:
            expected = [entry["codename"] for entry in yaml.safe_load(handle)]

    def reason(name):
        for entry in skips:
            if re.search(entry["test"], name):
                return entry["reason"]
        return None

    passed = sorted(n for n, s in status.items() if s == "passed")
    failed = sorted(n for n, s in status.items() if s == "failed")
    on_purpose = {n: reason(n) for n in set(status) | set(expected) if reason(n) and status.get(n) != "passed"}
    ran = set(passed) | set(failed)
    # run: passed or failed; skipped on purpose: the skip list; not run: anything else
    # (outside a subset, or missing from every report)
    not_run = sorted(n for n in set(status) | set(expected) if n not in ran and n not in on_purpose)
    total = len(expected) if expected else len(status)

    print(f"conformance: {len(passed)} passed, {len(failed)} failed, {len(on_purpose)} skipped on purpose, "
          f"{len(not_run)} not run, of {total} conformance tests"
          + (" (the release's conformance.yaml)" if expected else " (in the reports)"))
    for name in sorted(on_purpose):
        print(f"  skipped: {name}\n           because {on_purpose[name]}")
    for name in failed:
        print(f"  FAILED: {name}")
    if args.mode == "full":
        for name in not_run:
            print(f"  not run: {name}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"total": total, "passed": passed, "failed": failed, "skipped": on_purpose,
                       "not_run": not_run}, handle, indent=2)
    if failed or not passed or (args.mode == "full" and not_run):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
