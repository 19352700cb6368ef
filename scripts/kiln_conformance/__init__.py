"""`./kiln conformance`: Tempest against a fresh Kiln (see scripts/conformance.py)."""
