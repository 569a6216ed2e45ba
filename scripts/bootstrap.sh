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
if [ "${1:-}" = "--runtime-only" ]; then
  packages=(ffmpeg libavcodec59 libavutil57 libswscale6 libopus0 ca-certificates)
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

# Node.js 20.19+ builds the web client (Vite 7) and runs the tokenizer reference check.
# Debian 12 ships 18; take Debian 13's from the low-priority trixie source set up above.
node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}
if ! node_ok; then
  apt_update
  if [ -f /etc/apt/sources.list.d/trixie.list ]; then
    say "installing Node.js from Debian 13 (the web client needs 20.19 or newer)"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t trixie nodejs npm >/dev/null
  else
    say "installing Node.js"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  node_ok || say "warning: Node.js 20.19+ is needed to build the web client; found $(node --version 2>/dev/null || echo none)"
fi
