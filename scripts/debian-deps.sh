# shellcheck shell=bash
# The Debian packages Kiln's tests drive, and what to do when some are missing: install them
# when we can (root, with apt-get), otherwise stop at once with the command that installs them,
# rather than let every test that drives a client fail one by one.
#
#   . scripts/debian-deps.sh
#   kiln_debian_packages test conformance   # installs or explains; returns 1 when still missing

# Prints the packages that `purpose` (test or conformance) needs and this machine lacks.
kiln_missing_debian_packages() {
  local purpose
  for purpose in "$@"; do
    case "$purpose" in
      test)
        # The real OpenStack clients the integration tests drive, and ssh-keygen for keypairs.
        [ -x /usr/bin/openstack ] || echo python3-openstackclient
        [ -x /usr/bin/cinder ] || echo python3-cinderclient
        [ -x /usr/bin/nova ] || echo python3-novaclient
        _kiln_python_has heatclient || echo python3-heatclient
        _kiln_python_has openstack || echo python3-openstacksdk
        [ -x /usr/bin/ssh-keygen ] || echo openssh-client
        # curl, which a guest's RAW user_data script signals its wait condition with (Heat's
        # curl_cli), for RawUserDataSignalTest and heat-tempest-plugin's wait condition test.
        [ -x /usr/bin/curl ] || echo curl
        # Heat's own API tests (gabbi files run through tempest's configuration), for HeatGabbiTest.
        _kiln_python_has heat_tempest_plugin || echo heat-tempest-plugin
        # os-collect-config, which OsCollectConfigTest runs against Kiln's metadata.
        [ -x /usr/bin/os-collect-config ] || echo python3-os-collect-config
        # Tempest's response schemas, which TempestSchemas checks Kiln's answers against.
        _kiln_python_has tempest.lib.api_schema || echo python3-tempest
        ;;
      conformance)
        # OpenStack's conformance suite and the plugins for the services Kiln serves.
        [ -x /usr/bin/tempest ] || echo tempest
        _kiln_python_has cinder_tempest_plugin || echo cinder-tempest-plugin
        _kiln_python_has neutron_tempest_plugin || echo neutron-tempest-plugin
        _kiln_python_has heat_tempest_plugin || echo heat-tempest-plugin
        ;;
      *)
        echo "kiln_missing_debian_packages: unknown purpose $purpose" >&2
        return 2
        ;;
    esac
  done | sort -u
}

# Debian's clients are modules of Debian's python3, which need not be the python3 on PATH.
_kiln_python_has() {
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import $1" >/dev/null 2>&1
}

# Makes sure the packages for the given purposes are there: installs what is missing when run
# as root on a machine with apt-get, otherwise prints the command to run and returns 1.
kiln_debian_packages() {
  local missing
  missing=$(kiln_missing_debian_packages "$@" | tr '\n' ' ')
  missing=${missing% }
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the Debian packages Kiln's tests drive: $missing" >&2
    # shellcheck disable=SC2086
    if DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
        && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
          --no-install-recommends $missing >&2 \
        && [ -z "$(kiln_missing_debian_packages "$@")" ]; then
      return 0
    fi
    echo "Installing them failed (see above). Once apt works, run:" >&2
    echo "  apt-get install -y --no-install-recommends $missing" >&2
    return 1
  fi
  echo "Kiln's tests drive Debian's OpenStack tools, and these packages are missing:" >&2
  echo "  $missing" >&2
  echo "Install them, then run this command again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
  return 1
}
