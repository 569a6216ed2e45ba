#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs (system packages, npm packages), builds,
# then runs every test project. Tests start their own servers (Chromium, redis-server, the
# RTSP server) on 127.0.0.1 and stop them. Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[test] %s\n' "$*" >&2; }

./scripts/bootstrap.sh

say "npm packages for the reference tokenizer check (tests/node)"
if [ -f tests/node/package-lock.json ]; then
  npm ci --prefix tests/node --no-audit --no-fund --loglevel=error >/dev/null
fi

say "web client (client-web/dist, served at / and opened by the browser tests)"
./scripts/build-client.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say "building"
dotnet build Streamer.sln -c Release -nologo -clp:ErrorsOnly

results=artifacts/test-results
rm -rf "$results" && mkdir -p "$results"
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  say "running $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
