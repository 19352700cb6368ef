#!/usr/bin/python3
"""Times Neutron list calls in a project with many ports, against a running Kiln.

Usage: scripts/bench-neutron-lists.py BASE_URL [PORTS] [ROUNDS]
  (admin password from KILN_ADMIN_PASSWORD, default kiln-admin)
Makes a project with PORTS ports (default 6000) on one network, then times each call ROUNDS
times over one keep-alive connection and prints client-side medians and p95s. Each call is also
timed with changed_since at the epoch, which keeps every port but sends the request down the
rendered (in-memory) path: the "before" of the SQL paging.
"""
import http.client, json, socket, os, statistics, sys, time, urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
PORTS = int(sys.argv[2]) if len(sys.argv) > 2 else 6000
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 50
conn = http.client.HTTPConnection(base.hostname, base.port)
conn.connect()
# Without this, a response written in two segments waits for the client's delayed ACK (40 ms).
conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Auth-Token"] = token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return r, (json.loads(data) if data else None)


def token(user, password, project):
    r, _ = call("POST", "/identity/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"id": "default"}}}}})
    return r.getheader("X-Subject-Token")


admin = token("admin", os.environ.get("KILN_ADMIN_PASSWORD", "kiln-admin"), "admin")
suffix = str(int(time.time()))
_, p = call("POST", "/identity/v3/projects", {"project": {"name": "lists-" + suffix, "domain_id": "default"}}, admin)
project = p["project"]["id"]
_, u = call("POST", "/identity/v3/users", {"user": {"name": "lister-" + suffix, "password": "pw", "default_project_id": project}}, admin)
_, roles = call("GET", "/identity/v3/roles?name=member", None, admin)
call("PUT", f"/identity/v3/projects/{project}/users/{u['user']['id']}/roles/{roles['roles'][0]['id']}", None, admin)
call("PUT", f"/networking/v2.0/quotas/{project}", {"quota": {"port": -1}}, admin)
member = token("lister-" + suffix, "pw", "lists-" + suffix)
_, n = call("POST", "/networking/v2.0/networks", {"network": {"name": "big"}}, member)
net = n["network"]["id"]
call("POST", "/networking/v2.0/subnets", {"subnet": {"network_id": net, "ip_version": 4, "cidr": "10.64.0.0/18"}}, member)
started = time.time()
for b in range(PORTS // 100):
    call("POST", "/networking/v2.0/ports", {"ports": [
        {"network_id": net, "name": f"p-{(b * 100 + i) % 50}", "device_id": f"server-{b}"} for i in range(100)]}, member)
print(f"{PORTS} ports made in {time.time() - started:.1f} s")
_, first = call("GET", "/networking/v2.0/ports?limit=100", None, member)
marker = first["ports"][-1]["id"]

calls = {
    "GET /v2.0/ports?limit=100": "/networking/v2.0/ports?limit=100",
    "GET /v2.0/ports?limit=100&marker=M": f"/networking/v2.0/ports?limit=100&marker={marker}",
    "GET /v2.0/ports?limit=100&sort_key=name&sort_dir=desc": "/networking/v2.0/ports?limit=100&sort_key=name&sort_dir=desc",
    "GET /v2.0/ports?device_id=server-7": "/networking/v2.0/ports?device_id=server-7",
    "GET /v2.0/ports?name=p-3&limit=20": "/networking/v2.0/ports?name=p-3&limit=20",
}
print("| call | path | median ms | p95 ms |")
print("|---|---|---|---|")
for name, path in calls.items():
    for label, suffix_q in (("rendered (before)", "&changed_since=1970-01-01T00:00:00Z"), ("SQL (after)", "")):
        times = []
        for i in range(ROUNDS + 3):
            t = time.perf_counter()
            call("GET", path + suffix_q, None, member)
            if i >= 3:
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"| {name} | {label} | {statistics.median(times):.2f} | {times[int(len(times) * 0.95) - 1]:.2f} |")
