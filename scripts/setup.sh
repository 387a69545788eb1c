#!/usr/bin/env bash
# One-time machine set-up for Bosun development, demo and tests on Debian (run as root, or with sudo).
# Installs the real components the tests and the demo use, then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages (see README, "Real components"):
#   docker.io        dockerd + docker CLI      docker-registry   CNCF distribution 2.8
#   skopeo           a second client family    gnome-keyring, dbus-x11, libsecret-1-dev  Secret Service for keytar
#   xvfb, chromium   UI tests                  golang-docker-credential-helpers  benchmark baseline
#   nsis             compiles the Windows installer script in a test
#   python3, make, g++  native addons (keytar, better-sqlite3) built from source: no prebuilt download here
PACKAGES=(docker.io docker-registry skopeo gnome-keyring dbus-x11 libsecret-1-dev xvfb chromium
  golang-docker-credential-helpers nsis python3 make g++ ca-certificates)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already installed"
fi

# npm 11 honours package.json "allowScripts", which denies Electron's binary download (it cannot
# be reached here). Older npm ignores that field, so tell Electron's installer directly.
npm_major=$(npm --version | cut -d. -f1)
if [ "$npm_major" -lt 11 ]; then
  echo "setup: npm $(npm --version) predates allowScripts; skipping Electron's binary download explicitly"
  export ELECTRON_SKIP_BINARY_DOWNLOAD=1
fi
echo "setup: npm ci"
npm ci --no-fund --no-audit
echo "setup: npm run build"
npm run build
