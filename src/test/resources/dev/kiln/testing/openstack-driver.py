"""Runs Debian's real openstack, heat, cinder and nova commands many times from one interpreter,
for Kiln's tests.

Each command a test runs as a process of its own imports its client and the client's plugins again
(about a second of CPU, several seconds on a loaded machine) before it sends a request. This driver
imports them once; then, for each request, it forks a child that runs the program's entry point --
the `main` its /usr/bin script calls -- with the request's argv, its OS_* variables and its own
captured output, and exits. A fork starts from the parent's state as it was after the imports, so
nothing one command sets (the client caches osc-lib keeps on classes, the compute API version
openstackclient keeps in a module) reaches the next one, just as with a process per command.

The clients' wait loops (`openstack stack create/update/delete --wait`, `server create --wait`,
...) sleep 5 s between polls; Kiln finishes most of what they wait for in well under a second, so
those sleeps were most of the time the CLI tests took. With `--poll-seconds S` (the Java side passes
it) the driver caps the interval those loops are given at S: heatclient's event poller and
osc-lib's wait_for_status / wait_for_delete get a shorter `poll_period` / `sleep_time` argument, and
nothing else changes (wait_for_delete counts its 300 s timeout in those same intervals, so it still
waits at least as long before it gives up). Without the option the clients poll as shipped.

With KILN_CLI_STATS=FILE in its environment, the driver appends a line per command to FILE: the
program, the command's CPU seconds, its wall-clock seconds and its arguments, tab-separated.

Usage: python3 -P openstack-driver.py [--prog openstack|heat|nova|cinder] [--poll-seconds S]. Protocol: one
JSON object per line on stdin, {"env": {...}, "args": [...]};
one JSON object per line on the original stdout, {"code": n, "stdout": "...", "stderr": "..."}.
"""
import argparse
import ctypes
import functools
import importlib
import io
import json
import os
import signal
import sys
import time
import traceback

# Started with python3 -P, so that the temporary directory this script sits in (where anyone's
# resource.py or json.py may lie) is not searched first; a /usr/bin script has /usr/bin there.
sys.path.insert(0, "/usr/bin")

options = argparse.ArgumentParser()
options.add_argument("--prog", default="openstack")
options.add_argument("--poll-seconds", type=float, default=None)
parsed = options.parse_args()
prog_name, poll_seconds = parsed.prog, parsed.poll_seconds

requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
# The driver's own failures go to the real stderr (the Java side shows it when the driver ends);
# sys.stderr is each command's.
sys.excepthook = lambda kind, value, trace: traceback.print_exception(kind, value, trace, file=sys.__stderr__)
# Anything written to the real descriptors (not through sys.stdout) would corrupt the protocol.
devnull = os.open(os.devnull, os.O_RDWR)
os.dup2(devnull, 0)
os.dup2(devnull, 1)


class Switch(io.TextIOBase):
    """A stream whose target each command sets: some client code binds sys.stdout when it is
    imported (heatclient's format_utils takes it as a default argument), so the object itself must
    stay and send the writes where the running command's output goes."""

    def __init__(self):
        super().__init__()
        self.target = io.StringIO()

    @property
    def encoding(self):
        return "utf-8"

    def isatty(self):
        return False

    def writable(self):
        return True

    def write(self, text):
        return self.target.write(text)


stdout_switch, stderr_switch = Switch(), Switch()
sys.stdout, sys.stderr = stdout_switch, stderr_switch

# Each program's entry point, called as its /usr/bin script calls it (`sys.exit(main())`, with
# sys.argv set; novaclient binds sys.argv[1:] as a default argument at import, so it, openstack and
# heat get argv explicitly); what its commands import on their way, which each child would import
# again; and the client wait loops the driver shortens. A driver runs one program only: importing
# another's entry point changes what the first prints (cinderclient.shell calls
# logging.basicConfig() when it is imported, and every openstack command would then print its debug
# log on stderr).
PROGRAMS = {
    "openstack": {
        "entry": "openstackclient.shell",
        "call": lambda main, args: main(args),
        "warm": [
            "openstackclient.compute.v2.server", "openstackclient.compute.v2.flavor",
            "openstackclient.image.v2.image", "openstackclient.network.v2.network",
            "openstackclient.network.v2.port", "openstackclient.network.v2.router",
            "openstackclient.volume.v3.volume", "openstackclient.identity.v3.project",
            "openstackclient.identity.v3.user", "heatclient.osc.v1.stack", "heatclient.v1.client",
            "novaclient.client", "cinderclient.client", "keystoneclient.v3.client", "openstack.connection",
            "keystoneauth1.loading",
        ],
        "waits": [
            ("heatclient.common.event_utils", "poll_for_events", "poll_period", 5),
            ("osc_lib.utils", "wait_for_status", "sleep_time", 5),
            ("osc_lib.utils", "wait_for_delete", "sleep_time", 5),
        ],
    },
    "heat": {
        "entry": "heatclient.shell",
        "call": lambda main, args: main(args),
        "warm": ["heatclient.v1.shell", "heatclient.v1.client", "keystoneauth1.loading"],
        "waits": [("heatclient.common.event_utils", "poll_for_events", "poll_period", 5)],
    },
    "nova": {
        "entry": "novaclient.shell",
        "call": lambda main, args: main(args),
        "warm": ["novaclient.v2.shell", "novaclient.v2.client", "keystoneauth1.loading"],
        "waits": [],
    },
    "cinder": {
        "entry": "cinderclient.shell",
        "call": lambda main, args: main(),
        "warm": ["cinderclient.v3.shell", "cinderclient.v3.client", "keystoneauth1.loading"],
        "waits": [],
    },
}
program = PROGRAMS[prog_name]
sys.argv = ["/usr/bin/" + prog_name]  # the name the client prints in its messages
entry = importlib.import_module(program["entry"])
for name in program["warm"]:
    try:
        importlib.import_module(name)
    except Exception:  # a client Debian does not have: its commands import what they need
        pass
if prog_name == "openstack":
    try:
        entry.OpenStackShell()  # loads the command entry points
    except Exception:
        pass


def capped(function, name, default):
    """`function` with its keyword argument `name` (`default` when the caller leaves it out) at
    most poll_seconds."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        kwargs[name] = min(kwargs.get(name, default), poll_seconds)
        return function(*args, **kwargs)

    return wrapper


capped_waits = []
if poll_seconds is not None:
    # The callers (heatclient's stack commands, openstackclient's --wait options) find these
    # through their module when they call them, and pass the interval by keyword if at all.
    for module_name, function_name, argument, default in program["waits"]:
        module = sys.modules.get(module_name)  # only what this program imported itself
        if module is not None and hasattr(module, function_name):
            setattr(module, function_name, capped(getattr(module, function_name), argument, default))
            capped_waits.append(module_name + "." + function_name)

libc = ctypes.CDLL(None)
stats = open(os.environ["KILN_CLI_STATS"], "a", encoding="utf-8") if os.environ.get("KILN_CLI_STATS") else None
replies.write(json.dumps({"ready": True, "program": prog_name, "capped_waits": capped_waits}) + "\n")
replies.flush()


def exit_code(status, err):
    """The exit code of a process that ends with sys.exit(status)."""
    if status is None:
        return 0
    if isinstance(status, int):
        return status
    err.write(str(status) + "\n")
    return 1


def run(request, err):
    """Runs one command in the child; answers its exit code as its /usr/bin script would end."""
    sys.argv = ["/usr/bin/" + prog_name] + list(request["args"])
    try:
        return exit_code(program["call"](entry.main, list(request["args"])), err)
    except SystemExit as e:
        return exit_code(e.code, err)
    except BaseException as e:  # the client crashed: the command failed
        err.write("%s crashed: %r\n" % (prog_name, e))
        return 1


for line in requests:
    request = json.loads(line)
    child = os.fork()
    if child == 0:
        code = 1
        out, err = io.StringIO(), io.StringIO()
        try:
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: ends with the driver
            for key in [k for k in os.environ if k.startswith("OS_")]:
                del os.environ[key]
            os.environ.update(request["env"])
            stdout_switch.target, stderr_switch.target = out, err
            sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
            code = run(request, err)
        finally:
            replies.write(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
            replies.flush()
            os._exit(0)
    begun = time.monotonic()
    _, status, usage = os.wait4(child, 0)
    if stats:  # KILN_CLI_STATS: one line per command, for finding where a test's time goes
        stats.write("%s\t%.3f\t%.3f\t%s\n" % (
            prog_name, usage.ru_utime + usage.ru_stime, time.monotonic() - begun, " ".join(request["args"])))
        stats.flush()
    if os.WIFSIGNALED(status):  # killed before it could answer
        replies.write(json.dumps({"code": 128 + os.WTERMSIG(status), "stdout": "", "stderr": "killed\n"}) + "\n")
        replies.flush()
