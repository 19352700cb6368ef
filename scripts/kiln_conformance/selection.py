"""Which tests a conformance run selects, and which service each belongs to."""

import os
import re
import subprocess
from collections import OrderedDict

# The repository's conformance/ directory: the lists and tempest.conf.in.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LISTS = os.path.join(ROOT, "conformance")

# Which service a test belongs to, by the start of its id.
SERVICES = OrderedDict(
    [
        ("compute", ("tempest.api.compute.",)),
        ("volume", ("tempest.api.volume.", "cinder_tempest_plugin.api.volume.")),
        ("network", ("tempest.api.network.", "neutron_tempest_plugin.api.")),
        ("identity", ("tempest.api.identity.",)),
        ("image", ("tempest.api.image.",)),
        ("object-storage", ("tempest.api.object_storage.",)),
        ("orchestration", ("heat_tempest_plugin.",)),
    ]
)


def read_list(path):
    """Regexes of a stestr-style list file: one a line, `#` starts a comment."""
    entries = []
    with open(path) as f:
        for line in f:
            regex, _, comment = line.partition("#")
            regex = regex.strip()
            if regex:
                entries.append((re.compile(regex), comment.strip()))
    return entries


class Selection:
    """The lists a run includes and excludes, the services it is narrowed to, and the skips it
    expects (conformance/skips.txt)."""

    def __init__(self, name, includes, excludes, services, expected_skips):
        self.name = name
        self.includes = includes
        self.excludes = excludes
        self.services = services
        self.expected_skips = expected_skips

    @classmethod
    def from_args(cls, args):
        excludes = [os.path.join(LISTS, "exclude.txt")]
        if args.known_failures:
            name, includes = "known failures", [os.path.join(LISTS, "known-failures.txt")]
        elif args.include:
            name, includes = args.include, [os.path.abspath(args.include)]
        elif args.ci:
            name, includes = "CI selection", [os.path.join(LISTS, "ci.txt")]
            excludes.append(os.path.join(LISTS, "known-failures.txt"))
        else:
            name = "full list"
            includes = [os.path.join(LISTS, "full.txt"), os.path.join(LISTS, "interop-2020.06.txt")]
        # heat-tempest-plugin's functional tests are in the CI selection; the full list leaves
        # orchestration out unless asked (its API tests also run as HeatGabbiTest in ./kiln test).
        services = args.services or [s for s in SERVICES if s != "orchestration" or args.ci]
        if args.services:
            name += " (" + ", ".join(args.services) + ")"
        skips = {}
        for regex, reason in read_list(os.path.join(LISTS, "skips.txt")):
            skips[regex.pattern] = reason
        return cls(name, includes, excludes, services, skips)

    def describe(self):
        return self.name

    def list_tests(self, workspace):
        """Every test id Tempest knows that the lists select, in Tempest's order."""
        listing = subprocess.run(
            ["/usr/bin/tempest", "run", "--list-tests"],
            cwd=workspace,
            capture_output=True,
            text=True,
        )
        if listing.returncode != 0:
            raise SystemExit(
                "Tempest could not list its tests (see tempest.log in the workspace):\n"
                + (listing.stderr or listing.stdout)[-3000:]
            )
        listed = listing.stdout.split()
        includes = [r for path in self.includes for r, _ in read_list(path)]
        excludes = [r for path in self.excludes for r, _ in read_list(path)]
        prefixes = tuple(p for s in self.services for p in SERVICES[s])
        return [
            t
            for t in listed
            if t.startswith(prefixes)
            and any(r.search(t) for r in includes)
            and not any(r.search(t) for r in excludes)
        ]


def service_of(test_id):
    name = test_id
    match = re.match(r"^(?:setUpClass|tearDownClass) \((.*)\)$", test_id)
    if match:
        name = match.group(1)
    for service, prefixes in SERVICES.items():
        if name.startswith(prefixes):
            return service
    return "other"


# ---------------------------------------------------------------------------------------------
