# Sourced by start.sh and test.sh: installs the npm packages (when package-lock.json
# changed or node_modules is missing) and, for tests, Debian's packages.
# Usage: source scripts/ensure-deps.sh; ensure_npm; ensure_debian chromium ffmpeg ...

ensure_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ "${CI:-}" = "true" ]; then
    # `npm install`, not `npm ci`: the registry lacks rollup's optional binaries for other
    # platforms (a dependency of Workbox's build), so the lock file leaves them out and `npm ci`
    # refuses it as out of sync. The lock file still pins every version that is installed.
    echo "› npm install"
    npm install --no-audit --no-fund
  fi
}

ensure_debian() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "These Debian packages are needed and missing: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "› apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
