#!/usr/bin/env bash
# Installs Debian packages the app or the tests need, only when missing.
#   runtime: WeasyPrint's Pango;  test: also Chromium for Playwright (browser downloads are impossible here).
set -euo pipefail
need=()
if ! ldconfig -p 2>/dev/null | grep -q libpango-1.0; then need+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core); fi
if [ "${1:-runtime}" = "test" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
