#!/usr/bin/env bash
# Runs the Streamer server with its embedded default configuration (http://127.0.0.1:8080).
# Installs the runtime libraries it needs first. Arguments go to the server, e.g.
#   ./scripts/run.sh --urls http://0.0.0.0:8080 --WebRtc:CandidateAddress=192.0.2.10
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --runtime-only
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
printf '[run] building the web client\n' >&2
./scripts/build-client.sh || printf '[run] the web client could not be built; the server runs without it (API only)\n' >&2
printf '[run] building the server\n' >&2
dotnet build server/Streamer.Server -c Release -nologo -clp:ErrorsOnly -o artifacts/server >/dev/null
exec dotnet artifacts/server/Streamer.Server.dll "$@"
