"""Runs Debian's real openstack command many times from one interpreter, for Kiln's tests.

Each `openstack ...` a test runs as a process of its own imports openstackclient and its plugins
again (about a second of CPU, several seconds on a loaded machine) before it sends a request. This
driver imports them once; then, for each request, it forks a child that runs
`openstackclient.shell.main(args)` -- what /usr/bin/openstack runs -- with the request's OS_*
variables and its own captured output, and exits. A fork starts from the parent's state as it was
after the imports, so nothing one command sets (the client caches osc-lib keeps on classes, the
compute API version openstackclient keeps in a module) reaches the next one, just as with a
process per command.

Protocol: one JSON object per line on stdin, {"env": {...}, "args": [...]}; one JSON object per
line on the original stdout, {"code": n, "stdout": "...", "stderr": "..."}.
"""
import ctypes
import importlib
import io
import json
import os
import signal
import sys

requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
# Anything written to the real descriptors (not through sys.stdout) would corrupt the protocol.
devnull = os.open(os.devnull, os.O_RDWR)
os.dup2(devnull, 0)
os.dup2(devnull, 1)
sys.argv[0] = "/usr/bin/openstack"  # the name the client prints in its messages


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

from openstackclient import shell  # noqa: E402  (after the descriptors are safe)

# What the commands Kiln's tests run import on their way; each child would import them again.
for name in [
    "openstackclient.compute.v2.server", "openstackclient.compute.v2.flavor", "openstackclient.image.v2.image",
    "openstackclient.network.v2.network", "openstackclient.network.v2.port", "openstackclient.network.v2.router",
    "openstackclient.volume.v3.volume", "openstackclient.identity.v3.project", "openstackclient.identity.v3.user",
    "heatclient.osc.v1.stack", "heatclient.v1.client", "novaclient.client", "cinderclient.client",
    "keystoneclient.v3.client", "openstack.connection", "keystoneauth1.loading",
]:
    try:
        importlib.import_module(name)
    except Exception:  # a client Debian does not have: its commands import what they need
        pass
try:
    shell.OpenStackShell()  # loads the command entry points
except Exception:
    pass

libc = ctypes.CDLL(None)
replies.write(json.dumps({"ready": True}) + "\n")
replies.flush()

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
            try:
                code = shell.main(request["args"]) or 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                if not isinstance(e.code, int) and e.code is not None:
                    err.write(str(e.code) + "\n")
            except BaseException as e:  # the client crashed: the command failed
                err.write("openstack crashed: %r\n" % (e,))
                code = 1
        finally:
            replies.write(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
            replies.flush()
            os._exit(0)
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):  # killed before it could answer
        replies.write(json.dumps({"code": 128 + os.WTERMSIG(status), "stdout": "", "stderr": "openstack was killed\n"}) + "\n")
        replies.flush()
