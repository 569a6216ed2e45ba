#!/usr/bin/env bash
# Builds tests/Streamer.Benchmarks in Release and runs its benchmarks with the short in-process
# configuration: all of them, or those matching the filters given as arguments
# (scripts/bench.sh '*Srtp*' '*Thinker*'); arguments starting with '-' go to BenchmarkDotNet
# as they are (scripts/bench.sh --list flat).
# scripts/bench.sh rtsp-ingest [--seconds N] [--cameras K] runs only the RTSP camera ingest
# measurement (results/rtsp-ingest.md); a plain scripts/bench.sh runs it too, after the others.
# scripts/bench.sh ask-live [--sessions 1,4,16] [--questions N] runs only the ask-the-live-stream
# measurement (RTSP sessions into memory, SignalR clients asking; results/ask-live.md); a plain
# scripts/bench.sh runs it too, after rtsp-ingest.
# scripts/bench.sh spoken-answer [RUNS] [CODES] [THREADS] runs only the spoken-answer measurement
# (first text token to first audio packet, real-time factor of talker + token2wav; random model
# on the CPU); a plain scripts/bench.sh runs it too, after ask-live.
# scripts/bench.sh glass-to-glass [--seconds N] runs only the glass-to-glass latency benchmark
# (Chromium publishing over WHIP to the server in-process); a plain scripts/bench.sh runs it too,
# after the others.
# Markdown reports, summary.md and glass-to-glass.md go to artifacts/benchmarks/results/, the
# full logs to artifacts/benchmarks/*.log; the compact tables are printed at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/tests/Streamer.Benchmarks"
dll="$project/bin/Release/net10.0/Streamer.Benchmarks.dll"
out="$root/artifacts/benchmarks"
log="$out/benchmarks.log"

glass=no
glass_args=()
ingest=no
ingest_args=()
ask=no
ask_args=()
spoken=no
spoken_args=()
if [[ $# -eq 0 ]]; then
  args=(--filter '*')
  glass=after
  ingest=after
  ask=after
  spoken=after
elif [[ "$1" == spoken-answer ]]; then
  args=()
  spoken=only
  spoken_args=("${@:2}")
elif [[ "$1" == ask-live ]]; then
  args=()
  ask=only
  ask_args=("${@:2}")
elif [[ "$1" == rtsp-ingest ]]; then
  args=()
  ingest=only
  ingest_args=("${@:2}")
elif [[ "$1" == glass-to-glass ]]; then
  args=()
  glass=only
  glass_args=("${@:2}")
elif [[ "$1" == -* ]]; then
  args=("$@")
else
  args=(--filter "$@")
fi

mkdir -p "$out"
rm -f "$out"/results/*.md
echo "Building $project (Release)..."
dotnet build "$project" -c Release --nologo -v quiet

if [[ ${#args[@]} -gt 0 ]]; then
  case "${args[0]}" in
    --list | --help | --info | --version)
      exec dotnet "$dll" "${args[@]}" ;;
  esac
fi

status=0
if [[ ${#args[@]} -gt 0 ]]; then
  echo "Running benchmarks (log: $log)..."
  set +e
  dotnet "$dll" "${args[@]}" --artifacts "$out" >"$log" 2>&1 &
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
fi

# Runs one measurement mode of the benchmark program, keeps its log and the first failure's status.
run_mode() {
  local mode="$1" title="$2"
  shift 2
  local mode_log="$out/$mode.log"
  echo
  echo "Running $title (log: $mode_log)..."
  set +e
  dotnet "$dll" "$mode" "$@" 2>&1 | tee "$mode_log"
  local mode_status=${PIPESTATUS[0]}
  set -e
  if [[ $mode_status -ne 0 ]]; then
    echo "$title failed (exit $mode_status); see $mode_log" >&2
    [[ $status -eq 0 ]] && status=$mode_status
  fi
  return 0
}

[[ $ingest != no ]] && run_mode rtsp-ingest rtsp-ingest "${ingest_args[@]}" --artifacts "$out"
[[ $ask != no ]] && run_mode ask-live ask-live "${ask_args[@]}" --artifacts "$out"
[[ $spoken != no ]] && run_mode spoken-answer spoken-answer "${spoken_args[@]}"
[[ $glass != no ]] && run_mode glass-to-glass "glass-to-glass latency" "${glass_args[@]}" --artifacts "$out"
exit "$status"
