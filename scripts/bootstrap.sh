#!/usr/bin/env bash
# Installs the system packages Streamer needs on Debian/Ubuntu. Idempotent: a second run
# only checks. Set STREAMER_SKIP_BOOTSTRAP=1 to skip it entirely.
set -euo pipefail
[ "${STREAMER_SKIP_BOOTSTRAP:-0}" = 1 ] && exit 0

say() { printf '[bootstrap] %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Runtime: FFmpeg libraries (decode), libopus (audio), the newer C++ runtime TorchSharp needs.
# Tests: Chromium (a real WebRTC peer), redis-server, GStreamer's RTSP server, ffmpeg CLI.
packages=(ffmpeg libavcodec59 libavutil57 libswscale6 libopus0 ca-certificates
  chromium redis-server openssl python3-gi gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-tools)
# Node.js runs the tokenizer reference check (and builds the web client).
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "${1:-}" = "--runtime-only" ]; then
  packages=(ffmpeg libavcodec59 libavutil57 libswscale6 libopus0 ca-certificates)
  command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

needs_glibcxx() {
  local lib
  lib=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  # grep reads everything (no -q): an early exit would fail the pipe under pipefail.
  [ -z "$lib" ] || ! strings "$lib" 2>/dev/null | grep GLIBCXX_3.4.32 >/dev/null
}

apt_updated=0
apt_update() {
  [ $apt_updated = 1 ] && return
  say "apt-get update"
  # A third-party source being unreachable must not stop the Debian sources from updating.
  $SUDO apt-get update -qq || say "apt-get update reported errors; continuing with what was fetched"
  apt_updated=1
}

if needs_glibcxx; then
  . /etc/os-release
  if [ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then
    say "installing the C++ runtime from Debian 13 (TorchSharp needs GLIBCXX_3.4.32)"
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
    echo "deb $mirror trixie main" | $SUDO tee /etc/apt/sources.list.d/trixie.list >/dev/null
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/trixie >/dev/null
    apt_updated=0; apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t trixie libstdc++6 >/dev/null
  else
    say "warning: libstdc++ lacks GLIBCXX_3.4.32; TorchSharp needs GCC 13's runtime (Ubuntu 24.04+, Debian 13+)"
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  apt_update
  if apt-cache show dotnet-sdk-10.0 >/dev/null 2>&1; then
    say "installing the .NET 10 SDK"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends dotnet-sdk-10.0
  else
    say "error: the .NET 10 SDK is required and this distribution's archive has no dotnet-sdk-10.0;"
    say "       install it from https://dot.net (Ubuntu 24.04+ ships it as dotnet-sdk-10.0)"
    exit 1
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  apt_update
  say "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages present"
fi
