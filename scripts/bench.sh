#!/usr/bin/env bash
# Builds tests/Streamer.Benchmarks in Release and runs its benchmarks with the short in-process
# configuration: all of them, or those matching the filters given as arguments
# (scripts/bench.sh '*Srtp*' '*Thinker*'); arguments starting with '-' go to BenchmarkDotNet
# as they are (scripts/bench.sh --list flat).
# Markdown reports and summary.md go to artifacts/benchmarks/results/, the full log to
# artifacts/benchmarks/benchmarks.log; the compact summary is printed at the end.
# `scripts/bench.sh rtsp-ingest [--seconds N] [--cameras K]` runs only the RTSP camera ingest
# measurement (results/rtsp-ingest.md); with no arguments it runs after the benchmarks.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/tests/Streamer.Benchmarks"
out="$root/artifacts/benchmarks"
log="$out/benchmarks.log"

ingest=0
if [[ $# -eq 0 ]]; then
  args=(--filter '*')
  ingest=1
elif [[ "$1" == rtsp-ingest ]]; then
  mkdir -p "$out"
  echo "Building $project (Release)..."
  dotnet build "$project" -c Release --nologo -v quiet
  exec dotnet "$project/bin/Release/net10.0/Streamer.Benchmarks.dll" "$@" --artifacts "$out"
elif [[ "$1" == -* ]]; then
  args=("$@")
else
  args=(--filter "$@")
fi

mkdir -p "$out"
rm -f "$out"/results/*.md
echo "Building $project (Release)..."
dotnet build "$project" -c Release --nologo -v quiet

case "${args[0]}" in
  --list | --help | --info | --version)
    exec dotnet "$project/bin/Release/net10.0/Streamer.Benchmarks.dll" "${args[@]}" ;;
esac

echo "Running benchmarks (log: $log)..."
set +e
dotnet "$project/bin/Release/net10.0/Streamer.Benchmarks.dll" "${args[@]}" --artifacts "$out" >"$log" 2>&1 &
pid=$!
# Progress: one line per benchmark case as it starts.
tail -n +1 -f "$log" --pid "$pid" | grep --line-buffered '^// Benchmark: ' | sed -u 's|^// Benchmark: |  |'
wait "$pid"
status=$?
set -e

if [[ -f "$out/results/summary.md" ]]; then
  echo
  cat "$out/results/summary.md"
  echo "Reports: $out/results/"
else
  tail -n 40 "$log"
fi
if [[ $status -ne 0 ]]; then
  echo "Benchmarks failed (exit $status); see $log" >&2
fi
if [[ $ingest -eq 1 ]]; then
  echo
  echo "Running rtsp-ingest..."
  dotnet "$project/bin/Release/net10.0/Streamer.Benchmarks.dll" rtsp-ingest --artifacts "$out" || status=$?
fi
exit "$status"
