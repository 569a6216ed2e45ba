#!/usr/bin/env bash
# Builds the browser client (client-web/) into client-web/dist, which the server serves at /.
# Installs the npm packages only when package-lock.json changed since the last install, then
# type-checks (tsc --noEmit) and bundles with Vite. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../client-web"
say() { printf '[client] %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  say "npm is missing: run ./scripts/bootstrap.sh (it installs Node.js)"
  exit 1
fi

# Vite 7 needs Node.js 20.19 or newer (Debian 12's own nodejs is 18).
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  say "Node.js $(node --version) is too old: Vite 7 needs 20.19 or newer"
  exit 1
fi

stamp=node_modules/.streamer-lock
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  say "npm packages are up to date"
else
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json "$stamp"
fi

say "type-checking and building into client-web/dist (npm run build)"
npm run --silent build -- --logLevel warn
