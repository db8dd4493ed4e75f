#!/usr/bin/env bash
# The report's tests, browser included: installs Debian's chromium when missing, then runs them with
# CI=true so a browser that still cannot be found fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing: chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
CI=true mvn -B -ntp test -Dtest='io.glmvoicebatch.report.**'
