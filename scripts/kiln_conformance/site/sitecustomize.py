"""Loaded by every Python process of a conformance run (the runner puts this directory first on
PYTHONPATH for `tempest run` and its stestr workers).

Debian's tempest package adds a patch (debian/patches/add-delay-in-subnet-teardown.patch, in the
package's changelog since 1:29.0.0-3) that sleeps 10 s before every subnet delete, to give a real
Neutron's agents time to tear ports down. Upstream Tempest has no such wait, and Kiln removes a
port within the request that deletes it. A CI run deletes about 180 subnets, which is about half
of its wall-clock time, so this takes that one sleep out again: the subnet client's module gets a
`time` whose `sleep` does nothing. No request, assertion or other wait of Tempest changes.
"""

import importlib.abc
import sys
import types

_PATCHED = "tempest.lib.services.network.subnets_client"

# Debian's own sitecustomize (apport's exception hook) is shadowed by this one; keep what it did.
try:
    import apport_python_hook
except ImportError:
    pass
else:
    apport_python_hook.install()


class _NoTeardownDelay(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != _PATCHED:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            module.time = types.SimpleNamespace(sleep=lambda seconds: None)

        spec.loader.exec_module = exec_module
        return spec


import importlib.util  # noqa: E402  (after the class, which only needs it when an import runs)

sys.meta_path.insert(0, _NoTeardownDelay())
