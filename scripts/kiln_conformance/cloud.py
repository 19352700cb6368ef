"""A fresh Kiln for a conformance run, and the calls that prepare it for Tempest."""

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

from .selection import ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kiln:
    """A Kiln started with the repository's launcher, in its own process group."""

    def __init__(self, process, url, log):
        self.process = process
        self.url = url
        self.log = log

    @classmethod
    def start(cls, workdir, password):
        port = free_port()
        data = os.path.join(workdir, "data")
        log_path = os.path.join(workdir, "kiln.log")
        log = open(log_path, "w")
        process = subprocess.Popen(
            [
                os.path.join(ROOT, "kiln"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                data,
                "--admin-password",
                password,
            ],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,
        )
        # A first start also records the JDK's start-up cache; the machine may be busy.
        deadline = time.monotonic() + 300
        ready = threading.Event()

        def copy_output():
            for line in process.stdout:
                log.write(line)
                log.flush()
                if line.startswith("Kiln ready at"):
                    ready.set()

        threading.Thread(target=copy_output, daemon=True).start()
        while not ready.wait(0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                raise SystemExit(f"Kiln did not start; see {log_path}")
        url = f"http://127.0.0.1:{port}"
        print(f"Kiln is serving at {url} (data in {data})", flush=True)
        return cls(process, url, log)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# ---------------------------------------------------------------------------------------------
# Talking to the cloud, to prepare what Tempest expects to find.


class Cloud:
    """Kiln's API as its admin, through plain HTTP (no client library to install)."""

    def __init__(self, url, password):
        self.url = url
        self.auth_url = url + "/identity/v3"
        self.password = password
        self.token, self.catalog = self._authenticate()

    def _authenticate(self):
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": "admin",
                            "domain": {"id": "default"},
                            "password": self.password,
                        }
                    },
                },
                "scope": {"project": {"name": "admin", "domain": {"id": "default"}}},
            }
        }
        request = urllib.request.Request(
            self.auth_url + "/auth/tokens",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            token = response.headers["X-Subject-Token"]
            catalog = json.load(response)["token"]["catalog"]
        return token, catalog

    def endpoint(self, service_type):
        for service in self.catalog:
            if service["type"] == service_type:
                for endpoint in service["endpoints"]:
                    if endpoint["interface"] == "public":
                        return endpoint["url"].rstrip("/")
        raise SystemExit(f"Kiln's catalog has no {service_type} endpoint")

    def call(self, method, url, body=None, raw=None, headers=None):
        all_headers = {"X-Auth-Token": self.token, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        elif raw is not None:
            data = raw
            all_headers["Content-Type"] = "application/octet-stream"
        all_headers.update(headers or {})
        request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            raise SystemExit(f"{method} {url} answered {e.code}: {e.read().decode()[:500]}")
        if "json" in (response.headers.get("Content-Type") or "") and payload:
            return json.loads(payload)
        return payload

    def max_microversion(self, service_type):
        """The highest microversion the endpoint's version document offers."""
        # A project-scoped endpoint (/volume/v3/{project_id}) has its version document one up.
        url = re.sub(r"/[0-9a-f]{32}$", "", self.endpoint(service_type))
        document = self.call("GET", url + "/")
        versions = [document["version"]] if "version" in document else document["versions"]
        current = [v for v in versions if v.get("status") == "CURRENT"] or versions
        return current[0].get("version") or ""


def prepare_cloud(cloud, orchestration):
    """Creates the networks and the second image Tempest's configuration names."""
    network = cloud.endpoint("network") + "/v2.0"
    image = cloud.endpoint("image") + "/v2"

    private = cloud.call(
        "POST", network + "/networks", {"network": {"name": "private", "shared": True}}
    )["network"]
    private_subnet = cloud.call(
        "POST",
        network + "/subnets",
        {
            "subnet": {
                "name": "private-subnet",
                "network_id": private["id"],
                "ip_version": 4,
                "cidr": "10.1.0.0/20",
            }
        },
    )["subnet"]
    public = cloud.call(
        "POST",
        network + "/networks",
        {"network": {"name": "public", "router:external": True}},
    )["network"]
    cloud.call(
        "POST",
        network + "/subnets",
        {
            "subnet": {
                "name": "public-subnet",
                "network_id": public["id"],
                "ip_version": 4,
                "cidr": "172.24.4.0/24",
                "enable_dhcp": False,
            }
        },
    )

    # DevStack's router1: the shared private network reaches the public one, so floating IPs
    # from public can be associated with servers on private (Nova's floating IP tests).
    router = cloud.call(
        "POST",
        network + "/routers",
        {"router": {"name": "router1", "external_gateway_info": {"network_id": public["id"]}}},
    )["router"]
    cloud.call(
        "PUT",
        network + f"/routers/{router['id']}/add_router_interface",
        {"subnet_id": private_subnet["id"]},
    )

    images = cloud.call("GET", image + "/images?name=cirros")["images"]
    if not images:
        raise SystemExit("Kiln has no 'cirros' image; it makes one on first start")
    cirros = images[0]
    data = cloud.call("GET", image + f"/images/{cirros['id']}/file")
    alt = cloud.call(
        "POST",
        image + "/images",
        {
            "name": "cirros-alt",
            "disk_format": cirros.get("disk_format") or "qcow2",
            "container_format": cirros.get("container_format") or "bare",
            "visibility": "public",
        },
    )
    cloud.call("PUT", image + f"/images/{alt['id']}/file", raw=data)

    compute = cloud.endpoint("compute")
    # A createImage that takes time, as a real hypervisor's snapshot does: with none, Tempest may
    # never see an image SAVING, nor find the first of two createImage calls still under way.
    cloud.call("PUT", compute + "/os-kiln-faults/snapshot", {"kiln_fault": {"latency_ms": 3000}})
    hypervisors = cloud.call("GET", compute + "/os-hypervisors")["hypervisors"]
    heat = heat_credentials(cloud) if orchestration else ("admin", cloud.password, "admin")
    return {
        "HEAT_USER": heat[0],
        "HEAT_PASSWORD": heat[1],
        "HEAT_PROJECT": heat[2],
        "IMAGE_REF": cirros["id"],
        "IMAGE_REF_ALT": alt["id"],
        "FIXED_NETWORK_NAME": "private",
        "PUBLIC_NETWORK_ID": public["id"],
        "PUBLIC_NETWORK_NAME": "public",
        "COMPUTE_NODES": str(len(hypervisors)),
        "COMPUTE_MAX_MICROVERSION": cloud.max_microversion("compute"),
        "VOLUME_MAX_MICROVERSION": cloud.max_microversion("volumev3"),
        "HEAT": "true" if orchestration else "false",
    }


# ---------------------------------------------------------------------------------------------


def heat_credentials(cloud):
    """A project and a member of it for heat-tempest-plugin, which does not make its own."""
    identity = cloud.auth_url
    name = "heat-conformance"
    password = "heat-" + os.urandom(8).hex()
    project = cloud.call("POST", identity + "/projects", {"project": {"name": name}})["project"]
    user = cloud.call(
        "POST",
        identity + "/users",
        {"user": {"name": name, "password": password, "default_project_id": project["id"]}},
    )["user"]
    roles = cloud.call("GET", identity + "/roles?name=member")["roles"]
    cloud.call(
        "PUT", f"{identity}/projects/{project['id']}/users/{user['id']}/roles/{roles[0]['id']}"
    )
    return name, password, name
