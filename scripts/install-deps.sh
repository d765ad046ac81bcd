#!/usr/bin/env bash
# Installs the Debian packages casevault needs that are not installed yet.
# Idempotent: with everything present it does nothing and touches no network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsqlcipher-dev libsodium-dev nlohmann-json3-dev
  pybind11-dev python3-pybind11 python3-dev python3-pytest
  libgtest-dev libbenchmark-dev
  libsqlite3-dev  # plain SQLite, for the test of a host that loads it first
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  # The package lists may be stale or absent on a fresh machine.
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
