#!/usr/bin/env bash
# Runs every Corral test. Works on a fresh Debian machine with the .NET 10 SDK,
# Node.js and npm: it installs what the tests need (the pinned llama.cpp build
# and its headers via npm, the npm test clients), builds, and runs the xunit
# suites and the client scripts. Ends with one line: "N passed, N failed".
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"
# shellcheck source=eng/native.sh
. "$repo/eng/native.sh"
set +e

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export CORRAL_REPO_ROOT="$repo"

echo "== native llama.cpp libraries and headers"
corral_ensure_llama_libs || exit 1
corral_ensure_llama_source || exit 1
corral_ensure_mtmd >/dev/null || exit 1

echo "== docker-registry (a real OCI registry for the pull/push tests)"
command -v docker-registry >/dev/null || (apt-get update -qq && apt-get install -y -qq docker-registry >/dev/null) || exit 1

if [ -f "$repo/tests/clients/package.json" ]; then
  echo "== npm test clients"
  (cd "$repo/tests/clients" && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi

echo "== terminal tools (the interactive CLI tests drive corral through tmux)"
command -v tmux >/dev/null 2>&1 || apt-get install -y tmux >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y tmux >/dev/null 2>&1) || echo "   tmux missing: interactive CLI tests will fail"

echo "== chromium (the web UI tests drive Debian's Chromium through Playwright, which cannot download browsers here)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
command -v chromium >/dev/null 2>&1 || apt-get install -y chromium >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1) || echo "   chromium missing: web UI tests will fail"

echo "== Vulkan on the CPU (lavapipe) and the Vulkan build of llama.cpp, for the GPU tests"
# Debian's mesa-vulkan-drivers carries lavapipe (lvp_icd); llama.cpp uses it when GGML_VK_VISIBLE_DEVICES names it.
if ! ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1 || ! _corral_has_lib libvulkan.so.1; then
  apt-get install -y mesa-vulkan-drivers libvulkan1 >/dev/null 2>&1 ||
    (apt-get update >/dev/null 2>&1 && apt-get install -y mesa-vulkan-drivers libvulkan1 >/dev/null 2>&1) ||
    echo "   mesa-vulkan-drivers missing: the GPU tests will be skipped"
fi
(corral_ensure_backend_mtmd vulkan >/dev/null) || echo "   the Vulkan build is unavailable: the GPU tests will be skipped"

echo "== build"
dotnet build "$repo/Corral.slnx" -c Release --nologo -v quiet -clp:ErrorsOnly || exit 1

# Every temp folder the tests make goes under one folder of this run, removed at the end: vstest kills a test host
# that has not exited 100 ms after its run, before the ProcessExit handler that removes its TempFolders can finish.
run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/corral-test-run-XXXXXX")" || exit 1
trap 'rm -rf "$run_tmp"' EXIT
export TMPDIR="$run_tmp" MSBUILDDISABLENODEREUSE=1

passed=0
failed=0
skipped=0
results="$repo/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Sequentially, one test assembly at a time: the machine has 2 cores and the
# end-to-end suites start real runner processes.
for proj in "$repo"/tests/*Tests/*Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  echo "== $name"
  log="$results/$name.log"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" >"$log" 2>&1
  rc=$?
  grep -E '^\s+Failed [A-Za-z]|Error Message' -A3 "$log" | head -60
  p="$(grep -E '^\s+Passed: [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+')"
  f="$(grep -E '^\s+Failed: [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+')"
  s="$(grep -E '^\s+Skipped: [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+')"
  if [ -z "$p$f" ]; then
    echo "   $name: no results (the test host exited with code $rc; did it crash?)"
    tail -20 "$log"
    failed=$((failed + 1))
    continue
  fi
  # A test host that crashes after printing its counts (or a run that fails
  # for a reason outside the tests) still exits non-zero: count it once.
  if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
    echo "   $name: the test host exited with code $rc although no test failed"
    tail -20 "$log"
    f=1
  fi
  echo "   passed ${p:-0}, failed ${f:-0}, skipped ${s:-0}"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done

# Client-library scripts (npm ollama, npm openai) against a real server.
for script in "$repo"/tests/clients/*.test.mjs; do
  [ -e "$script" ] || continue
  name="$(basename "$script")"
  echo "== $name"
  if node --test "$script" >"$results/$name.log" 2>&1; then
    n="$(grep -E '^# pass ' "$results/$name.log" | awk '{print $3}')"
    echo "   passed ${n:-?}"
    passed=$((passed + ${n:-1}))
  else
    cat "$results/$name.log"
    n="$(grep -E '^# fail ' "$results/$name.log" | awk '{print $3}')"
    failed=$((failed + ${n:-1}))
  fi
done

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
