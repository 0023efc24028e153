#!/usr/bin/env bash
# GPU check and bench for a machine with an NVIDIA GPU (issue 17). Not a test: it prints figures.
#   bench/gpu/run.sh            (results also in ${OUT:-artifacts/gpu-bench}/)
# 1. the machine: nvidia-smi, the CUDA build of llama.cpp (eng/native.sh backend-mtmd cuda; npm is needed once,
#    or a ~/.cache/corral/llama/3.22.1/libs-cuda fetched elsewhere) and the CUDA runtime it links (12 or 13);
# 2. build, `corral devices`, and the GPU tests on the real device (CORRAL_TEST_GPU=native: the same tests that
#    run on lavapipe in CI);
# 3. the 1B bench model fully offloaded: Corral against llama-server built from the same source and running the
#    same prebuilt CUDA backend (no nvcc needed: the CPU-built llama-server loads libggml-cuda.so from its folder),
#    at 1 and 8 clients (bench/Corral.Bench.Compare), and a plain in-process decode loop on the same libraries
#    against Corral's runner (bench/Corral.Bench.Runner), which stands in for llama-bench.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
out="${OUT:-$repo/artifacts/gpu-bench}"
mkdir -p "$out"
# shellcheck source=../../eng/native.sh
. "$repo/eng/native.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 CORRAL_REPO_ROOT="$repo"
unset CORRAL_LLAMA_LIB_DIR

echo "== GPU"
command -v nvidia-smi >/dev/null 2>&1 || _corral_die "nvidia-smi not found: this script needs an NVIDIA GPU and its driver"
nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version --format=csv | tee "$out/gpu.csv"
gpu_name="$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
[ "$(corral_llama_backend)" = cuda ] || _corral_die "no NVIDIA driver seen (/proc/driver/nvidia/version)"
_corral_has_lib libcudart.so.13 || _corral_has_lib libcudart.so.12 ||
  _corral_die "the CUDA runtime (libcudart.so.12 or .13, and libcublas) is not on the loader's path; install it or add its folder to LD_LIBRARY_PATH"

echo "== the CUDA build of llama.cpp"
libs="$(corral_ensure_backend_mtmd cuda)"
echo "$libs"

echo "== build"
dotnet build Corral.slnx -c Release --nologo -v quiet -clp:ErrorsOnly
dll="$repo/src/Corral.Cli/bin/Release/net10.0/corral.dll"
dotnet "$dll" devices | tee "$out/devices.json"
grep -q '"type":"gpu"' "$out/devices.json" || _corral_die "the CUDA build found no GPU (see $out/devices.json)"

echo "== GPU tests on $gpu_name"
CORRAL_TEST_GPU=native dotnet test tests/Corral.Server.Tests/Corral.Server.Tests.csproj -c Release --no-build \
  --filter "FullyQualifiedName~Corral.Server.Tests.Gpu" --logger "console;verbosity=normal" >"$out/gpu-tests.log" 2>&1 || true
grep -E '^\s+(Passed|Failed|Skipped) |Total tests|Passed:|Failed:' "$out/gpu-tests.log" || tail -20 "$out/gpu-tests.log"

echo "== llama-server with the CUDA backend"
server_dir="$(corral_ensure_llama_server)"
gpu_server="$(corral_llama_dir)/llama-server-cuda"
rm -rf "$gpu_server"
mkdir -p "$gpu_server"
cp "$server_dir/llama-server" "$gpu_server/llama-server"
for variant in "$(corral_llama_dir)"/libs/libggml-cpu-*.so; do ln -s "../libs/$(basename "$variant")" "$gpu_server/"; done
ln -s ../libs-cuda/libggml-cuda.so "$gpu_server/libggml-cuda.so"

threads="$(nproc)"
echo "== Corral vs llama-server, 1B model fully offloaded, 1 and 8 clients"
dotnet run -c Release --project bench/Corral.Bench.Compare -- --scenarios clients --clients 1,8 --rounds 3 \
  --threads "$threads" --gpu-layers 999 --llama-server "$gpu_server/llama-server" \
  --note "GPU: $gpu_name (CUDA build of the pinned llama.cpp on both sides)" | tee "$out/compare.md"

echo "== plain decode loop vs Corral's runner on the same CUDA libraries"
dotnet run -c Release --project bench/Corral.Bench.Runner -- --threads "$threads" --skip-grammar --skip-determinism | tee "$out/runner.md"
echo "results in $out"
