#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the benchmarks need.
# Skips apt entirely when every package is already installed.
set -euo pipefail

packages=(
  pkg-config
  libprotobuf-c-dev
  protobuf-c-compiler
  libpq-dev
  libsqlite3-dev
  libssl-dev
  postgresql
  postgresql-contrib
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(redis-server redis-tools libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev g++)
fi
if [ "${1:-}" = "--profile" ]; then
  packages+=(valgrind gcc)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq -o DPkg::Lock::Timeout=600
"${sudo_cmd[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null
