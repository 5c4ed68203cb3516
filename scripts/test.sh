#!/usr/bin/env bash
# `npm test`: installs what the tests need, then runs every test: type checks, unit and
# kernel tests (vitest, WebGPU through Dawn on SwiftShader), the model's pytest suite,
# the production build, and end-to-end tests in Debian's Chromium against the built site.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
# The Debian packages the tests import or run, one per line in scripts/debian-packages.txt.
mapfile -t debian_packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/debian-packages.txt | awk '{print $1}')
ensure_debian "${debian_packages[@]}" || exit 1
ensure_npm || exit 1

export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
# Plain output, so that the runners' "N passed" lines can be summed; Dawn wants a runtime dir.
export NO_COLOR=1 FORCE_COLOR=0
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
logdir="$(mktemp -d)"
suite_start=$(date +%s)
failed_stages=()
passed_total=0
failed_total=0

# stage NAME COMMAND...: runs one stage, keeps its log, and adds up its pass/fail counts.
stage() {
  local name="$1"; shift
  local t0=$(date +%s)
  echo; echo "━━ $name"
  "$@" 2>&1 | tee "$logdir/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "━━ $name: $([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)") in $(( $(date +%s) - t0 )) s"
  [ "$rc" -eq 0 ] || failed_stages+=("$name")
  # Runners print "N passed" / "N failed" in their own closing lines; sum them.
  local p f
  p=$(grep -aoE '\b[0-9]+ passed\b' "$logdir/$name.log" | tail -1 | grep -oE '^[0-9]+' || true)
  f=$(grep -aoE '\b[0-9]+ failed\b' "$logdir/$name.log" | tail -1 | grep -oE '^[0-9]+' || true)
  passed_total=$(( passed_total + ${p:-0} ))
  failed_total=$(( failed_total + ${f:-0} ))
  if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed_total=$(( failed_total + 1 )); fi
}

stage typecheck npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings
stage vitest npx vitest run
if [ -d models/tests ]; then
  stage pytest bash -c 'cd models && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests'
fi
stage build npx vite build --logLevel warn
stage e2e npx playwright test

echo
echo "Suite time: $(( $(date +%s) - suite_start )) s. Logs: $logdir"
[ ${#failed_stages[@]} -eq 0 ] || echo "Failed stages: ${failed_stages[*]}"
echo "$passed_total passed, $failed_total failed"
[ ${#failed_stages[@]} -eq 0 ]
