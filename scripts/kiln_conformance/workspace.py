"""Tempest's workspace and configuration for a Kiln, and the run itself."""

import os
import re
import subprocess
import time
from collections import Counter

from .selection import LISTS

# The network extensions Tempest may expect (tempest.conf [network-feature-enabled]
# api_extensions): what Kiln advertises plus what networking L3 brings and every ML2 deployment
# has. The template says why the rest are left out.
NETWORK_EXTENSIONS = [
    "allowed-address-pairs",
    "binding",
    "binding-extended",
    "dns-integration",
    "external-net",
    "ext-gw-mode",
    "extra_dhcp_opt",
    "extraroute",
    "expose-port-forwarding-in-fip",
    "filter-validation",
    "floating-ip-port-forwarding",
    "ip-substring-filtering",
    "net-mtu",
    "pagination",
    "port-security",
    "project-id",
    "provider",
    "quota_details",
    "quotas",
    "rbac-policies",
    "router",
    "security-group",
    "sorting",
    "standard-attr-description",
    "standard-attr-revisions",
    "standard-attr-tag",
    "standard-attr-timestamp",
    "subnet_allocation",
    "trunk",
    "trunk-details",
]

# A test still running after this long is stuck (Kiln's operations take milliseconds).
TEST_TIMEOUT_SECONDS = 400


def render_config(values, omit_sections=()):
    """conformance/tempest.conf.in with each @NAME@ replaced, without the sections named.

    oslo.config reads no comments at the end of a line, so a `key = value  # why` line of the
    template becomes the comment on its own line, then the option.
    """
    out = []
    omitting = False
    with open(os.path.join(LISTS, "tempest.conf.in")) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("["):
                omitting = line.strip("[] ") in omit_sections
            if omitting:
                continue
            if not line.lstrip().startswith(("#", "[")) and "#" in line and "=" in line:
                option, _, comment = line.partition("#")
                out.append("# " + comment.strip())
                line = option.rstrip()
            out.append(line)
    text = "\n".join(out) + "\n"
    for name, value in values.items():
        text = text.replace("@" + name + "@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise SystemExit(f"tempest.conf.in names values the script does not set: {left}")
    return text


def make_workspace(workdir, cloud, setup, selection):
    workspace = os.path.join(workdir, "tempest")
    subprocess.run(
        [
            "/usr/bin/tempest",
            "init",
            "--workspace-path",
            os.path.join(workdir, "workspace.yaml"),
            "--name",
            "kiln-" + os.path.basename(workdir),
            workspace,
        ],
        cwd=workdir,  # tempest writes its log to the current directory
        check=True,
        capture_output=True,
    )
    values = dict(setup)
    values.update(
        {
            "ADMIN_PASSWORD": cloud.password,
            "AUTH_URL": cloud.auth_url,
            "NETWORK_EXTENSIONS": ",".join(NETWORK_EXTENSIONS),
            "LOCK_PATH": os.path.join(workdir, "locks"),
        }
    )
    with open(os.path.join(workspace, "etc", "tempest.conf"), "w") as f:
        # heat-tempest-plugin asks Heat for its resource types while Tempest merely lists the
        # tests whenever [heat_plugin] names an auth_url, so that section is there only for
        # orchestration runs.
        omit = () if "orchestration" in selection.services else ("heat_plugin",)
        f.write(render_config(values, omit))
    return workspace


def run_tempest(workspace, load_list, concurrency):
    """Runs Tempest, its output to tempest-run.log, with a progress line now and then."""
    env = dict(os.environ)
    env["OS_TEST_TIMEOUT"] = str(TEST_TIMEOUT_SECONDS)
    # Only the conformance run's own sitecustomize (it takes out Debian's 10 s sleep before each
    # subnet delete: see site/sitecustomize.py), nothing from the caller's environment.
    env["PYTHONPATH"] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")
    log_path = os.path.join(os.path.dirname(workspace), "tempest-run.log")
    counts = Counter()
    last = time.monotonic()
    outcome = re.compile(r"^\{\d+\} .* \.\.\. (ok|FAILED|SKIPPED)")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                "/usr/bin/tempest",
                "run",
                "--load-list",
                load_list,
                "--concurrency",
                str(concurrency),
            ],
            cwd=workspace,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        for line in process.stdout:
            log.write(line)
            match = outcome.match(line)
            if match:
                counts[match.group(1)] += 1
            if time.monotonic() - last > 60:
                last = time.monotonic()
                print(
                    f"  ... {sum(counts.values())} done: {counts['ok']} passed, "
                    f"{counts['FAILED']} failed, {counts['SKIPPED']} skipped",
                    flush=True,
                )
        process.wait()


# ---------------------------------------------------------------------------------------------
