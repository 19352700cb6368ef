#!/usr/bin/env bash
# Runs heat-tempest-plugin's API tests (gabbi YAML files driven by tempest's configuration) against
# a running Kiln, and compares the outcome with scripts/heat-gabbi-gaps.txt: the tests Kiln does
# not pass yet, each with the reason. Exit 0 when every other test passes; a listed test that
# passes is reported so the list can shrink.
#
#   scripts/heat-gabbi.sh AUTH_URL USERNAME PASSWORD PROJECT
#   e.g. scripts/heat-gabbi.sh http://127.0.0.1:5000/identity/v3 demo secret demo
#
# Needs Debian's heat-tempest-plugin package (it brings tempest and gabbi). Takes a few seconds.
set -euo pipefail
if [ $# -ne 4 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
if ! "$python" -c 'import heat_tempest_plugin, gabbi' 2>/dev/null; then
  echo "heat-gabbi: install Debian's heat-tempest-plugin package first" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/tempest.conf" <<CONF
[DEFAULT]
log_dir = $work
[service_available]
heat = True
[heat_plugin]
auth_url = $1
auth_version = 3
username = $2
password = $3
project_name = $4
user_domain_name = Default
project_domain_name = Default
region = RegionOne
endpoint_type = public
CONF
cd "$work"
TEMPEST_CONFIG_DIR="$work" TEMPEST_CONFIG=tempest.conf \
  "$python" - "$here/heat-gabbi-gaps.txt" <<'PY'
import os
import sys
import unittest

# tempest's logging set-up takes over sys.stdout and sys.excepthook; report on fd 1 directly.
def out(line):
    os.write(1, (line + '\n').encode())


gaps = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if line and not line.startswith('#'):
        name, _, reason = line.partition(' ')
        gaps[name] = reason.strip()

from heat_tempest_plugin.tests.api import test_heat_api

suite = test_heat_api.load_tests(unittest.defaultTestLoader, None, None)


def flatten(s):
    for t in s:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


class Recorder(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def addSuccess(self, test):
        self.outcomes[test] = ('ok', '')

    def addFailure(self, test, err):
        self.outcomes[test] = ('FAIL', self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self.outcomes[test] = ('ERROR', self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self.outcomes[test] = ('skip', reason)

    def addUnexpectedSuccess(self, test):
        self.outcomes[test] = ('ok', '')

    def addExpectedFailure(self, test, err):
        self.outcomes[test] = ('FAIL', self._exc_info_to_string(err, test))


tests = list(flatten(suite))  # a suite forgets its tests as it runs them
result = Recorder()
suite.run(result)
bad = []
fixed = []
counts = {}
for test in tests:
    # test.id() is ...test_heat_api.<file>_<test name>.test_request[id-<tempest id>].
    name = test.id().split('[')[0].rsplit('.', 2)[-2]
    outcome, detail = result.outcomes.get(test, ('ERROR', 'did not run'))
    counts[outcome] = counts.get(outcome, 0) + 1
    gap = name in gaps
    mark = ' (known gap: %s)' % gaps[name] if gap and outcome != 'ok' else ''
    out('%-5s %s%s' % (outcome, name, mark))
    if outcome in ('FAIL', 'ERROR') and not gap:
        bad.append((name, detail))
    if outcome == 'ok' and gap:
        fixed.append(name)
out('heat-gabbi: ' + ', '.join('%d %s' % (n, o) for o, n in sorted(counts.items())))
for name in fixed:
    out('heat-gabbi: %s passes now; remove it from heat-gabbi-gaps.txt' % name)
for name, detail in bad:
    out('\n==== %s\n%s' % (name, detail[-3000:]))
sys.exit(1 if bad else 0)
PY
