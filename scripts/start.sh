#!/usr/bin/env bash
# `npm start`: builds Kinora and serves the built site, with the shipped model, on localhost.
# PORT (default 4173) and HOST (default 127.0.0.1) change where it listens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
ensure_npm
echo "› building the static site into dist/"
npx vite build --logLevel warn
exec node scripts/serve.mjs dist --port "${PORT:-4173}" --host "${HOST:-127.0.0.1}"
