#!/usr/bin/python3
"""Runs OpenStack's own conformance suite (Tempest) against a fresh Kiln.

`./kiln conformance [SERVICE...] [--full | --ci] [--include FILE]` starts a Kiln on a free
127.0.0.1 port with a new data directory, prepares what Tempest expects to find (a shared
network, an external network, a second image), writes a tempest.conf for it from
conformance/tempest.conf.in, runs Debian's `tempest` over the selected include list and prints
pass/fail/skip per service. The lists live in conformance/ (see conformance/README.md).

Runs under Debian's /usr/bin/python3: Tempest, stestr and python-subunit are Debian packages.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

from kiln_conformance.cloud import Cloud, Kiln, prepare_cloud
from kiln_conformance.results import Results, write_outputs
from kiln_conformance.selection import SERVICES, Selection
from kiln_conformance.workspace import make_workspace, run_tempest


def main():
    args = parse_args()
    missing = missing_debian_packages()
    if missing:
        print(
            "kiln conformance needs Debian's Tempest and its plugins. Install them with:\n"
            "  sudo apt-get install -y " + " ".join(missing),
            file=sys.stderr,
        )
        return 2
    selection = Selection.from_args(args)
    workdir = args.workdir or tempfile.mkdtemp(prefix="kiln-conformance-")
    os.makedirs(workdir, exist_ok=True)
    print(f"kiln conformance: {selection.describe()}; work directory {workdir}", flush=True)
    started = time.monotonic()
    kiln = None
    try:
        if args.url:
            cloud = Cloud(args.url.rstrip("/"), args.admin_password)
        else:
            kiln = Kiln.start(workdir, args.admin_password)
            cloud = Cloud(kiln.url, args.admin_password)
        setup = prepare_cloud(cloud, "orchestration" in selection.services)
        workspace = make_workspace(workdir, cloud, setup, selection)
        tests = selection.list_tests(workspace)
        if not tests:
            print("No test matches the selection.", file=sys.stderr)
            return 2
        load_list = os.path.join(workdir, "selected-tests.txt")
        with open(load_list, "w") as f:
            f.write("\n".join(tests) + "\n")
        print(f"Running {len(tests)} tests with concurrency {args.concurrency}...", flush=True)
        run_tempest(workspace, load_list, args.concurrency)
        results = Results.read(workspace, tests)
    finally:
        if kiln:
            kiln.stop()
    elapsed = time.monotonic() - started
    report = results.report(selection, elapsed)
    print(report)
    write_outputs(workdir, results, report, args.report)
    failed = results.failed_count()
    print_failures(results.failures())
    unexpected = results.unexpected_skips(selection.expected_skips)
    if unexpected:
        print(f"{len(unexpected)} tests skipped for a reason conformance/skips.txt does not list:")
        for test_id, reason in unexpected:
            print(f"  {test_id}  ({reason})")
    if failed or (args.ci and unexpected):
        print(f"Kept {workdir} (tempest.log, kiln.log, results.json, failures.txt).")
        return 1
    if not args.keep and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def print_failures(failures, detail_lines=12):
    """Names every failure with the head of its detail, so a CI log alone says what broke."""
    if not failures:
        return
    print(f"{len(failures)} failed (the whole detail is in failures.txt):")
    for name, detail in failures:
        print(f"  {name}")
        for line in str(detail).splitlines()[:detail_lines]:
            print(f"      {line[:300]}")


def parse_args():
    parser = argparse.ArgumentParser(
        prog="kiln conformance",
        description="Run Tempest (OpenStack's conformance suite) against a fresh Kiln.",
    )
    parser.add_argument(
        "services",
        nargs="*",
        metavar="SERVICE",
        help="only these services' tests: " + ", ".join(SERVICES),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--full", action="store_true", help="the full list (the default)")
    which.add_argument(
        "--ci", action="store_true", help="the CI selection, without the known failures"
    )
    parser.add_argument(
        "--include", metavar="FILE", help="an include list of your own (regexes, one a line)"
    )
    parser.add_argument(
        "--known-failures",
        action="store_true",
        help="run only the tests listed as known failures (to see which a fix repaired)",
    )
    parser.add_argument("--concurrency", type=int, default=2, help="Tempest workers (default 2)")
    parser.add_argument("--workdir", help="work directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--report", metavar="DIR", help="also copy the results into DIR")
    parser.add_argument(
        "--url", help="test a Kiln that is already running at this URL instead of a fresh one"
    )
    parser.add_argument("--admin-password", default="conformance-" + os.urandom(6).hex())
    args = parser.parse_args()
    for service in args.services:
        if service not in SERVICES:
            parser.error(f"unknown service {service!r}; choose from {', '.join(SERVICES)}")
    return args


def missing_debian_packages():
    """The Debian packages this command needs that are not installed."""
    need = []
    if not os.access("/usr/bin/tempest", os.X_OK):
        need.append("tempest")
    for module, package in (
        ("subunit", "python3-subunit"),
        ("stestr", "python3-stestr"),
        ("cinder_tempest_plugin", "cinder-tempest-plugin"),
        ("neutron_tempest_plugin", "neutron-tempest-plugin"),
        ("heat_tempest_plugin", "heat-tempest-plugin"),
    ):
        try:
            __import__(module)
        except ImportError:
            need.append(package)
    return need


if __name__ == "__main__":
    sys.exit(main())
