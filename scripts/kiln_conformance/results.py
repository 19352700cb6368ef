"""Reads a Tempest run's subunit stream into per-test outcomes, and reports them."""

import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter, defaultdict

from .selection import LISTS, SERVICES, read_list, service_of


class Results:
    """Each selected test's outcome (pass, fail or skip, with why), and the class-level failures.

    Tempest reports a class whose setUpClass failed or skipped once, as `setUpClass (Class)`, and
    its tests not at all; such tests take their class's outcome here, so every selected test has
    exactly one.
    """

    def __init__(self, tests, outcomes, class_failures):
        self.tests = tests
        self.outcomes = outcomes  # test id (without tags) -> (status, detail)
        self.class_failures = class_failures  # setUpClass/tearDownClass id -> detail

    @classmethod
    def read(cls, workspace, tests):
        import subunit
        import testtools

        stream = subprocess.run(
            ["/usr/bin/stestr", "last", "--subunit"], cwd=workspace, capture_output=True
        ).stdout
        with open(os.path.join(os.path.dirname(workspace), "results.subunit"), "wb") as f:
            f.write(stream)
        reported = {}

        def on_test(test):
            reported[test["id"]] = test

        result = testtools.StreamToDict(on_test)
        result.startTestRun()
        subunit.ByteStreamToStreamResult(io.BytesIO(stream), non_subunit_name="stdout").run(
            result
        )
        result.stopTestRun()

        outcomes = {}
        class_failures = {}
        class_skips = {}
        for test_id, test in reported.items():
            detail = describe_failure(test)
            if test_id.startswith(("setUpClass (", "tearDownClass (")):
                if test["status"] == "skip":
                    class_skips[test_id] = detail
                elif test["status"] not in ("success", "xfail"):
                    class_failures[test_id] = detail
                continue
            name = strip_tags(test_id)
            status = {"success": "pass", "xfail": "pass", "skip": "skip"}.get(
                test["status"], "fail"
            )
            outcomes[name] = (status, detail)
        # A test whose class could not be set up never reports: it failed with its class.
        for test in tests:
            name = strip_tags(test)
            if name in outcomes:
                continue
            klass = name.rsplit(".", 1)[0]
            setup = f"setUpClass ({klass})"
            if setup in class_skips:
                outcomes[name] = ("skip", class_skips[setup])
            elif setup in class_failures:
                outcomes[name] = ("fail", "setUpClass failed: " + class_failures[setup])
            else:
                outcomes[name] = ("fail", "did not report (worker crashed or timed out)")
        return cls(tests, outcomes, class_failures)

    def counts(self):
        table = defaultdict(Counter)
        for test in self.tests:
            status, _ = self.outcomes[strip_tags(test)]
            table[service_of(test)][status] += 1
        return table

    def failures(self):
        """(name, detail) of every failed test and every failed class fixture, sorted."""
        failed = [(n, d) for n, (s, d) in sorted(self.outcomes.items()) if s == "fail"]
        return failed + sorted(self.class_failures.items())

    def failed_count(self):
        return sum(1 for status, _ in self.outcomes.values() if status == "fail")

    def unexpected_skips(self, expected):
        out = []
        for test in self.tests:
            name = strip_tags(test)
            status, reason = self.outcomes[name]
            if status == "skip" and not any(re.search(p, test) for p in expected):
                out.append((name, reason))
        return out

    def interop_counts(self):
        required = [r for r, _ in read_list(os.path.join(LISTS, "interop-2020.06.txt"))]
        counts = Counter()
        for test in self.tests:
            if any(r.search(test) for r in required):
                counts[self.outcomes[strip_tags(test)][0]] += 1
        return counts

    def report(self, selection, elapsed):
        table = self.counts()
        rows = [("service", "tests", "pass", "fail", "skip")]
        total = Counter()
        for service in list(SERVICES) + ["other"]:
            if service in table:
                c = table[service]
                total.update(c)
                rows.append(
                    (service, sum(c.values()), c["pass"], c["fail"], c["skip"])
                )
        rows.append(("total", sum(total.values()), total["pass"], total["fail"], total["skip"]))
        interop = self.interop_counts()
        if interop:
            rows.append(
                (
                    "interop 2020.06 (in the selection)",
                    sum(interop.values()),
                    interop["pass"],
                    interop["fail"],
                    interop["skip"],
                )
            )
        lines = ["| " + " | ".join(str(x) for x in rows[0]) + " |", "|---|---:|---:|---:|---:|"]
        lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows[1:]]
        minutes, seconds = divmod(int(elapsed), 60)
        header = f"Tempest against Kiln, {selection.describe()}: {minutes} min {seconds} s"
        if self.class_failures:
            teardown = [k for k in self.class_failures if k.startswith("tearDownClass")]
            if teardown:
                header += f"; {len(teardown)} test classes failed to clean up"
        return header + "\n\n" + "\n".join(lines) + "\n"

    def as_json(self):
        return {
            "tests": {
                strip_tags(t): {"service": service_of(t), "id": t, "status": s, "detail": d}
                for t in self.tests
                for s, d in [self.outcomes[strip_tags(t)]]
            },
            "class_failures": self.class_failures,
        }


def strip_tags(test_id):
    return test_id.split("[", 1)[0]


def describe_failure(test):
    """What went wrong, in one line: where in the test, the exception and its details, and the
    last API call the test made (a failure is usually that call's answer)."""
    details = test.get("details") or {}
    if test["status"] == "skip":
        reason = details.get("reason")
        return reason.as_text().strip() if reason else ""
    if test["status"] in ("success", "xfail"):
        return ""
    traceback = details.get("traceback")
    text = traceback.as_text() if traceback else ""
    lines = text.splitlines()
    where = ""
    last_frame = -1
    for i, line in enumerate(lines):
        frame = re.match(r'\s*File "([^"]+)", line (\d+)', line)
        if frame:
            last_frame = i
            if re.search(r"/(tempest|\w+_tempest_plugin)/(api|tests)/", frame.group(1)):
                where = frame.group(1).split("dist-packages/")[-1] + ":" + frame.group(2)
    # After the last frame come its source lines (indented), then the exception.
    rest = lines[last_frame + 1 :]
    while rest and (not rest[0].strip() or rest[0].startswith(" ")):
        rest = rest[1:]
    error = compact_schema_error(" ".join(l.strip() for l in rest if l.strip()))[:1200]
    call = last_call(details.get("pythonlogging:''") or details.get("pythonlogging"))
    parts = [p for p in (where, error, call and "last call: " + call) if p]
    return " | ".join(parts)


def compact_schema_error(error):
    """A response-schema failure without the schema Tempest prints in full: the message, where
    in the body, and the offending value."""
    match = re.search(
        r"HTTP response body is invalid \((.*?) Failed validating '(\w+)' in (schema\S*)"
        r".*? On (instance\S*): (.*)\)$",
        error,
    )
    if not match:
        return error
    message, _, _, instance, value = match.groups()
    return f"response body fails Tempest's schema: {message} at {instance} (value: {value[:300]})"


def last_call(logging):
    """The last request Tempest logged before the failure, ids replaced by {id}."""
    if not logging:
        return ""
    calls = re.findall(
        r"Request \(([^)]*)\): (\d{3}) (GET|POST|PUT|DELETE|PATCH|HEAD) (\S+)",
        logging.as_text(),
    )
    calls = [c[1:] for c in calls if not c[0].endswith(("_run_cleanups", "tearDown"))]
    if not calls:
        return ""
    status, method, url = calls[-1]
    path = re.sub(r"^https?://[^/]+", "", url)
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", path)
    path = re.sub(r"\b[0-9a-f]{32}\b", "{id}", path)
    return f"{method} {path} -> {status}"


def write_outputs(workdir, results, report, report_dir):
    with open(os.path.join(workdir, "summary.md"), "w") as f:
        f.write(report)
    with open(os.path.join(workdir, "results.json"), "w") as f:
        json.dump(results.as_json(), f, indent=1, sort_keys=True)
    with open(os.path.join(workdir, "failures.txt"), "w") as f:
        for name, detail in results.failures():
            f.write(f"{name}\n    {detail}\n")
    if report_dir:
        os.makedirs(report_dir, exist_ok=True)
        for name in ("summary.md", "results.json", "failures.txt", "results.subunit",
                     "selected-tests.txt"):
            source = os.path.join(workdir, name)
            if os.path.exists(source):
                shutil.copy(source, report_dir)
        for name in ("tempest.log", "etc/tempest.conf"):
            source = os.path.join(workdir, "tempest", name)
            if os.path.exists(source):
                shutil.copy(source, report_dir)
        if os.path.exists(os.path.join(workdir, "kiln.log")):
            shutil.copy(os.path.join(workdir, "kiln.log"), report_dir)
