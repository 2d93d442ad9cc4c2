#!/usr/bin/env bash
# Copy the npm front-end assets into var/vendor/ (a STATICFILES_DIRS entry). Never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=var/vendor/vendor
mkdir -p "$out/utrecht"
cp node_modules/@utrecht/component-library-css/dist/index.css "$out/utrecht/components.css"
cp node_modules/@utrecht/design-tokens/dist/index.css "$out/utrecht/tokens.css"
