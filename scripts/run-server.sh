#!/usr/bin/env bash
# Starts the release server on SQLite with a development token, as `make run` does.
# Everything it creates lives under ./var/.
set -euo pipefail
cd "$(dirname "$0")/.."

# 0700 like the directory that --development-tokens creates, because var/ contains the plain development token.
# An existing var/ keeps its mode.
mkdir -p -m 700 var
exec "$(swift build -c release --show-bin-path)/payments-server" \
  --store "${PAYMENTS_STORE:-sqlite:var/payments.sqlite}" \
  --development-tokens var \
  "$@"
