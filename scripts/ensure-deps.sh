# Sourced by start.sh and test.sh: installs the npm packages (when package-lock.json
# changed or node_modules is missing, and always under CI) and, for tests, Debian's packages.
# Usage: source scripts/ensure-deps.sh; ensure_npm; ensure_debian chromium ffmpeg ...

ensure_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ "${CI:-}" = "true" ]; then
    if lock_file_as_committed; then
      # `npm ci` installs exactly what package-lock.json pins and never rewrites it, so a fresh
      # clone stays clean. The lock file is complete (rollup's optional binaries for every
      # platform included), so `npm ci` accepts it.
      echo "› npm ci"
      npm ci --no-audit --no-fund
    else
      # package.json or the lock file was changed here (a package added or upgraded): `npm install`
      # brings the lock file in line, to be committed with the change.
      echo "› npm install (package-lock.json differs from the committed one)"
      npm install --no-audit --no-fund
    fi
  fi
}

# True when package-lock.json and package.json are as committed (or there is no git checkout to ask).
lock_file_as_committed() {
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git diff --quiet HEAD -- package-lock.json package.json 2>/dev/null
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
