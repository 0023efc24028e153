#!/usr/bin/env bash
# Fetches the pinned llama.cpp build (and, for tests, its source headers) into a
# cache outside the source tree. Sourced by ./corral and ./test.sh; also runnable:
#   eng/native.sh libs     -> prints the library folder
#   eng/native.sh source   -> prints the llama.cpp source folder (llama.h, ...)
#   eng/native.sh mtmd     -> builds libmtmd once (into the library folder), prints it
#   eng/native.sh llama-server -> builds llama-server once (for bench/Corral.Bench.Compare), prints its folder
#   eng/native.sh backend  -> prints the build this machine can use: cpu, vulkan or cuda
#   eng/native.sh backend-libs [cpu|vulkan|cuda] -> fetches that build once (default: this machine's), prints its folder
#   eng/native.sh backend-mtmd [cpu|vulkan|cuda] -> the same, with libmtmd beside it
# The cache layout is mirrored in src/Corral.Llama/Native/NativeLibraryLocator.cs.
set -euo pipefail

_corral_eng_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=llama.lock
. "$_corral_eng_dir/llama.lock"

corral_cache_root() {
  echo "${CORRAL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/corral}"
}

corral_llama_dir() {
  echo "$(corral_cache_root)/llama/$LLAMA_NPM_VERSION"
}

_corral_die() {
  echo "corral: $*" >&2
  exit 1
}

# Runs "$@" as one named phase of a first start: a line when it begins, a heartbeat
# with the elapsed time every ${CORRAL_HEARTBEAT_SECONDS:-15} s while it runs (plus
# whatever the optional _corral_phase_progress function prints, e.g. "12/40 files"),
# and a line with its duration when it ends. The command runs in a subshell so a
# _corral_die inside it still stops the heartbeat; its exit status is returned.
corral_phase() {
  local name="$1"
  shift
  local started=$SECONDS beat="${CORRAL_HEARTBEAT_SECONDS:-15}" status=0 ticker
  echo "corral: $name ..." >&2
  # The ticker's sleep is its own child, killed with it, so nothing lingers holding
  # stderr (or the stdout of a $(...) this runs inside) once the phase ends.
  (
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    while :; do
      sleep "$beat" &
      sleeper=$!
      wait "$sleeper"
      extra=""
      if declare -F _corral_phase_progress >/dev/null; then extra=", $(_corral_phase_progress 2>/dev/null || true)"; fi
      echo "corral:   $name: $((SECONDS - started)) s$extra" >&2
    done
  ) >/dev/null &
  ticker=$!
  ("$@") || status=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [ "$status" -eq 0 ]; then
    echo "corral: $name: done in $((SECONDS - started)) s" >&2
  else
    echo "corral: $name: failed after $((SECONDS - started)) s" >&2
  fi
  return "$status"
}

# npm pack a package into a temp dir, check its sha256, unpack it to $3.
_corral_fetch_npm() {
  local pkg="$1" sha="$2" dest="$3"
  command -v npm >/dev/null 2>&1 ||
    _corral_die "npm is needed once to fetch llama.cpp ($pkg@$LLAMA_NPM_VERSION). Install Node.js and npm (apt-get install nodejs npm), or set CORRAL_LLAMA_LIB_DIR to a folder holding libllama and libggml."
  local tmp
  tmp="$(mktemp -d)"
  if ! (cd "$tmp" && npm pack --silent "$pkg@$LLAMA_NPM_VERSION" >/dev/null 2>"$tmp/npm.log"); then
    cat "$tmp/npm.log" >&2 || true
    rm -rf "$tmp"
    _corral_die "could not fetch $pkg@$LLAMA_NPM_VERSION with npm (see above). Check the npm registry is reachable, or set CORRAL_LLAMA_LIB_DIR."
  fi
  local tgz
  tgz="$(ls "$tmp"/*.tgz)"
  local actual
  actual="$(sha256sum "$tgz" | cut -d' ' -f1)"
  if [ "$actual" != "$sha" ]; then
    rm -rf "$tmp"
    _corral_die "checksum mismatch for $pkg@$LLAMA_NPM_VERSION: expected $sha, got $actual. Refusing to use it."
  fi
  mkdir -p "$tmp/unpacked"
  tar xzf "$tgz" -C "$tmp/unpacked"
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest.partial"
  mv "$tmp/unpacked/package" "$dest.partial"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  rm -rf "$tmp"
}

# Prints the folder holding libllama & co, fetching it on first use.
corral_ensure_llama_libs() {
  if [ -n "${CORRAL_LLAMA_LIB_DIR:-}" ]; then
    [ -d "$CORRAL_LLAMA_LIB_DIR" ] || _corral_die "CORRAL_LLAMA_LIB_DIR=$CORRAL_LLAMA_LIB_DIR is not a folder"
    echo "$CORRAL_LLAMA_LIB_DIR"
    return
  fi
  local root
  root="$(corral_llama_dir)"
  if [ ! -f "$root/libs/.complete" ]; then
    corral_phase "fetching $LLAMA_NPM_LIBS_PACKAGE@$LLAMA_NPM_VERSION with npm (once)" \
      _corral_fetch_npm "$LLAMA_NPM_LIBS_PACKAGE" "$LLAMA_NPM_LIBS_SHA256" "$root/libs-package" || exit 1
    rm -rf "$root/libs"
    mv "$root/libs-package/bins/linux-x64" "$root/libs"
    rm -rf "$root/libs-package"
    touch "$root/libs/.complete"
  fi
  echo "$root/libs"
}

# Which llama.cpp build this machine can use; mirrored in src/Corral.Llama/Native/LlamaBackendSelection.cs:
#   cuda    an NVIDIA driver is loaded (/proc/driver/nvidia/version)
#   vulkan  OLLAMA_VULKAN=1; or, unless OLLAMA_VULKAN is false, a GPU render node (/dev/dri/renderD*) and libvulkan.so.1
#   cpu     otherwise
# CORRAL_LLAMA_LIB_DIR overrides all of it (that folder is used as it is).
corral_llama_backend() {
  if [ -e /proc/driver/nvidia/version ]; then
    echo cuda
    return
  fi
  case "$(_corral_env_bool "${OLLAMA_VULKAN:-}")" in
    true) echo vulkan; return ;;
    false) echo cpu; return ;;
  esac
  if compgen -G '/dev/dri/renderD*' >/dev/null && _corral_has_lib libvulkan.so.1; then
    echo vulkan
    return
  fi
  echo cpu
}

# Ollama's reading of a boolean variable: empty = unset; 0/f/false = false; anything else = true.
_corral_env_bool() {
  case "$1" in
    '') echo unset ;;
    0 | f | F | false | FALSE | False) echo false ;;
    *) echo true ;;
  esac
}

# Whether the dynamic loader can find $1 (ldconfig's cache or a folder on LD_LIBRARY_PATH).
_corral_has_lib() {
  if command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q " $1 "; then return 0; fi
  local d
  local IFS=:
  for d in ${LD_LIBRARY_PATH:-}; do [ -n "$d" ] && [ -e "$d/$1" ] && return 0; done
  return 1
}

# Prints the folder of the build for backend $1 (default: corral_llama_backend), fetching it on
# first use: $(corral_llama_dir)/libs for cpu, libs-vulkan and libs-cuda beside it. The GPU
# packages name their main libraries libllama.<gpu>.v0.5.0.so and libggml.<gpu>.v0.5.0.so; links
# under the CPU build's names are added so libmtmd (built against those names) loads them.
# CUDA: the package's libggml-cuda.so needs the CUDA 13 runtime; when only the CUDA 12 runtime is
# installed, -cuda-ext's fallback build (CUDA 12) replaces it.
corral_ensure_backend_libs() {
  local backend="${1:-}"
  if [ -n "${CORRAL_LLAMA_LIB_DIR:-}" ]; then
    corral_ensure_llama_libs
    return
  fi
  [ -n "$backend" ] || backend="$(corral_llama_backend)"
  case "$backend" in
    cpu) corral_ensure_llama_libs ;;
    vulkan) _corral_ensure_gpu_libs vulkan "$LLAMA_NPM_VULKAN_PACKAGE" "$LLAMA_NPM_VULKAN_SHA256" ;;
    cuda) _corral_ensure_gpu_libs cuda "$LLAMA_NPM_CUDA_PACKAGE" "$LLAMA_NPM_CUDA_SHA256" ;;
    *) _corral_die "unknown llama.cpp backend '$backend' (cpu, vulkan or cuda)" ;;
  esac
}

_corral_ensure_gpu_libs() {
  local gpu="$1" pkg="$2" sha="$3" root dest
  root="$(corral_llama_dir)"
  dest="$root/libs-$gpu"
  if [ ! -f "$dest/.complete" ]; then
    corral_phase "fetching $pkg@$LLAMA_NPM_VERSION with npm (once)" \
      _corral_fetch_npm "$pkg" "$sha" "$root/libs-$gpu-package" || exit 1
    rm -rf "$dest"
    mv "$root/libs-$gpu-package/bins/linux-x64-$gpu" "$dest"
    rm -rf "$root/libs-$gpu-package"
    ln -sf "libllama.$gpu.$LLAMA_CPP_TAG.so" "$dest/libllama.$LLAMA_CPP_TAG.so"
    ln -sf "libggml.$gpu.$LLAMA_CPP_TAG.so" "$dest/libggml.$LLAMA_CPP_TAG.so"
    touch "$dest/.complete"
  fi
  if [ "$gpu" = cuda ] && [ ! -f "$dest/.cuda12" ] && ! _corral_has_lib libcudart.so.13 && _corral_has_lib libcudart.so.12; then
    corral_phase "fetching $LLAMA_NPM_CUDA_EXT_PACKAGE@$LLAMA_NPM_VERSION (the CUDA 12 build) with npm (once)" \
      _corral_fetch_npm "$LLAMA_NPM_CUDA_EXT_PACKAGE" "$LLAMA_NPM_CUDA_EXT_SHA256" "$root/libs-cuda-ext-package" || exit 1
    mv "$root/libs-cuda-ext-package/bins/linux-x64-cuda/fallback/libggml-cuda.so" "$dest/.libggml-cuda.so.partial"
    mv "$dest/.libggml-cuda.so.partial" "$dest/libggml-cuda.so"
    rm -rf "$root/libs-cuda-ext-package"
    touch "$dest/.cuda12"
  fi
  echo "$dest"
}

# libmtmd for a GPU build: the CPU build's libmtmd.so, copied beside the GPU libraries. It was
# compiled from the same source and headers, and its NEEDED libllama.v0.5.0.so / libggml.v0.5.0.so
# resolve (RUNPATH $ORIGIN) to the links onto the GPU libraries; it is loaded once before it is
# published. Prints the folder.
corral_ensure_backend_mtmd() {
  local dest cpu
  dest="$(corral_ensure_backend_libs "${1:-}")"
  if [ -n "${CORRAL_LLAMA_LIB_DIR:-}" ] || [ -f "$dest/.mtmd-complete" ]; then
    echo "$dest"
    return
  fi
  cpu="$(corral_ensure_mtmd)"
  if [ "$cpu" != "$dest" ]; then
    cp "$cpu/libmtmd.so" "$dest/.libmtmd.so.partial"
    _corral_check_loads "$dest/.libmtmd.so.partial" "$dest" ||
      { rm -f "$dest/.libmtmd.so.partial"; _corral_die "libmtmd does not load with the libraries in $dest (see above)"; }
    mv "$dest/.libmtmd.so.partial" "$dest/libmtmd.so"
    touch "$dest/.mtmd-complete"
  fi
  echo "$dest"
}

# dlopen()s $1 with every symbol bound (RTLD_NOW), $2 on LD_LIBRARY_PATH; the loader's message on failure.
_corral_check_loads() {
  local tmp rc=0
  tmp="$(mktemp -d)"
  printf '%s\n' '#include <dlfcn.h>' '#include <stdio.h>' \
    'int main(int c, char **v) { (void)c; if (!dlopen(v[1], RTLD_NOW)) { fprintf(stderr, "%s\n", dlerror()); return 1; } return 0; }' \
    >"$tmp/check.c"
  if ! gcc -o "$tmp/check" "$tmp/check.c" -ldl || ! LD_LIBRARY_PATH="$2" "$tmp/check" "$1"; then rc=1; fi
  rm -rf "$tmp"
  return "$rc"
}

# Prints the llama.cpp source folder of the pinned version (headers for the ABI
# test, sources for libmtmd), fetching it on first use.
corral_ensure_llama_source() {
  local root
  root="$(corral_llama_dir)"
  if [ ! -f "$root/src/.complete" ]; then
    command -v git >/dev/null 2>&1 || _corral_die "git is needed to unpack the llama.cpp source bundle (apt-get install git)"
    corral_phase "fetching the llama.cpp $LLAMA_CPP_TAG source ($LLAMA_NPM_SOURCE_PACKAGE@$LLAMA_NPM_VERSION) with npm (once)" \
      _corral_fetch_npm "$LLAMA_NPM_SOURCE_PACKAGE" "$LLAMA_NPM_SOURCE_SHA256" "$root/source-package" || exit 1
    rm -rf "$root/src"
    git clone --quiet "$root/source-package/llama/gitRelease.bundle" "$root/src" 2>/dev/null ||
      _corral_die "could not unpack llama/gitRelease.bundle from $LLAMA_NPM_SOURCE_PACKAGE"
    rm -rf "$root/source-package"
    touch "$root/src/.complete"
  fi
  echo "$root/src"
}

# libmtmd (llama.cpp's multimodal library: image/audio projectors) is not in the
# prebuilt npm package, so it is compiled once from the pinned source tree against
# the prebuilt libllama/libggml and placed next to them as libmtmd.so (the name
# Corral.Llama's "mtmd" import resolves; its RUNPATH $ORIGIN finds libllama there).
# The npm sha256 check covers the tarball only, so adding a file to libs/ is safe; a
# re-fetch of libs/ drops libmtmd.so with it and the next call rebuilds it against
# the new libraries. A CORRAL_LLAMA_LIB_DIR that lacks libmtmd is left alone (vision
# is then unavailable; the library folder belongs to whoever provided it).
# Prints the folder holding libmtmd.so.
corral_ensure_mtmd() {
  local libs
  libs="$(corral_ensure_llama_libs)"
  if [ -n "${CORRAL_LLAMA_LIB_DIR:-}" ]; then
    ls "$libs"/libmtmd*.so* >/dev/null 2>&1 ||
      echo "corral: $libs has no libmtmd; image input will be unavailable" >&2
    echo "$libs"
    return
  fi
  if [ -f "$libs/libmtmd.so" ] && [ -f "$libs/.mtmd-complete" ]; then
    echo "$libs"
    return
  fi
  local src
  src="$(corral_ensure_llama_source)"
  _corral_ensure_cxx
  local tmp
  tmp="$(mktemp -d)"
  # The heartbeat reports how many of the units are compiled so far.
  _corral_phase_progress() { echo "$(find "$tmp" -name '*.o' | wc -l)/$(wc -l <"$tmp/units" 2>/dev/null || echo '?') files compiled"; }
  corral_phase "building libmtmd from the llama.cpp $LLAMA_CPP_TAG source (once; 1-4 min on 2 cores)" \
    _corral_build_mtmd "$libs" "$src" "$tmp" || { rm -rf "$tmp"; unset -f _corral_phase_progress; exit 1; }
  unset -f _corral_phase_progress
  rm -rf "$tmp"
  echo "$libs"
}

# Compiles and links libmtmd in $3 (a temp folder the caller removes) from the source
# tree $2 against the libraries in $1, checks it loads and publishes it into $1.
_corral_build_mtmd() {
  local libs="$1" src="$2" tmp="$3"
  local jobs="${CORRAL_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
  # The `mtmd` target of tools/mtmd/CMakeLists.txt: library sources + models/, with
  # vendor::hash compiled in (sha1.c is C++ by CMake's LANGUAGE CXX; the others are C).
  # MTMD_VIDEO stays off (it needs ffmpeg at run time); LLAMA_SHARED+LLAMA_BUILD export
  # the MTMD_API symbols as CMake's shared build does.
  local flags=(-O2 -DNDEBUG -fPIC -pthread -DLLAMA_SHARED -DLLAMA_BUILD
    -I"$src/include" -I"$src/ggml/include" -I"$src/tools/mtmd" -I"$src/vendor" -I"$src/vendor/hash")
  {
    for f in mtmd.cpp mtmd-audio.cpp mtmd-image.cpp mtmd-helper.cpp mtmd-helper-gen.cpp clip.cpp; do
      echo "g++ -std=c++17 -x c++ $src/tools/mtmd/$f"
    done
    for f in "$src"/tools/mtmd/models/*.cpp; do echo "g++ -std=c++17 -x c++ $f"; done
    echo "g++ -std=c++17 -x c++ $src/vendor/hash/hash.cpp"
    echo "g++ -std=c++17 -w -x c++ $src/vendor/hash/sha1/sha1.c"
    echo "gcc -std=c11 -w -x c $src/vendor/hash/sha256/sha256.c"
    echo "gcc -std=c11 -w -x c $src/vendor/hash/xxhash/xxhash.c"
  } >"$tmp/units"
  # One compile per line of $tmp/units, $jobs at a time. Objects are named after the
  # path inside the tree so models/x.cpp and x.cpp cannot collide.
  {
    echo 'set -eu'
    echo 'file="${!#}"; rel="${file#'"$src"'/}"; obj="'"$tmp"'/${rel//\//_}.o"'
    printf '"$@" -c -o "$obj"'; printf ' %q' "${flags[@]}"; echo ' 2>"$obj.log" || { cat "$obj.log" >&2; exit 255; }'
  } >"$tmp/compile.sh"
  if ! xargs -P "$jobs" -L 1 bash "$tmp/compile.sh" <"$tmp/units"; then
    _corral_die "compiling libmtmd failed (see above)"
  fi
  if ! g++ -shared -pthread -o "$tmp/libmtmd.so" "$tmp"/*.o -Wl,-soname,libmtmd.so -Wl,--no-undefined \
    -Wl,-rpath,'$ORIGIN' -L"$libs" -l:"libllama.$LLAMA_CPP_TAG.so" -l:"libggml.$LLAMA_CPP_TAG.so" -l:libggml-base.so; then
    _corral_die "linking libmtmd failed (see above)"
  fi
  # Load it once (all symbols bound now) before it is published, so a broken build
  # fails here with the loader's message rather than later inside a runner.
  if ! _corral_check_loads "$tmp/libmtmd.so" "$libs"; then
    _corral_die "the libmtmd just built does not load (see above)"
  fi
  # Same folder, so the final mv is an atomic rename; readers never see a half file.
  mv "$tmp/libmtmd.so" "$libs/.libmtmd.so.partial"
  mv "$libs/.libmtmd.so.partial" "$libs/libmtmd.so"
  touch "$libs/.mtmd-complete"
}

# llama-server of the pinned release, for the side-by-side bench (bench/Corral.Bench.Compare);
# nothing in Corral needs it. Built once with cmake from the cached source tree into
# $(corral_llama_dir)/llama-server/ (beside libs/), and linked against the same prebuilt
# libggml/libggml-base that Corral loads: ggml is where the time goes (every matmul and
# attention kernel), so both servers run the same kernels, and at run time ggml picks the
# same CPU variant (libggml-cpu-*.so, symlinked beside the binary because ggml searches the
# executable's folder) by the same scoring. libllama, llama-common, mtmd and the server are
# compiled from the same source (-O3, static; llama.cpp's CMake has no switch to reuse a
# prebuilt libllama). GGML_NATIVE would be simpler but would compare a CPU-tuned build with
# the portable variants Corral ships. The binary finds libs/ through RUNPATH $ORIGIN/../libs.
# It is tied to libs/ as libmtmd is: a libs/.complete newer than its .complete rebuilds it.
# CORRAL_LLAMA_LIB_DIR is ignored here: the comparison is with the pinned release.
# About 10-20 min on 2 cores, once. The build tree ($root/.llama-server-build) is kept when
# the build fails or is interrupted, so the next call resumes it; it is removed once the
# binary is published. Prints the folder holding the llama-server binary.
corral_ensure_llama_server() {
  local libs root
  libs="$(CORRAL_LLAMA_LIB_DIR='' corral_ensure_llama_libs)"
  root="$(corral_llama_dir)"
  if [ -x "$root/llama-server/llama-server" ] && [ -f "$root/llama-server/.complete" ] &&
    [ ! "$libs/.complete" -nt "$root/llama-server/.complete" ]; then
    echo "$root/llama-server"
    return
  fi
  local src work="$root/.llama-server-build"
  src="$(corral_ensure_llama_source)"
  _corral_ensure_cxx
  command -v cmake >/dev/null 2>&1 || _corral_die "cmake is needed once to build llama-server (apt-get install cmake)"
  # A build tree left by an older libs/ is not resumed.
  if [ -d "$work" ] && [ "$libs/.complete" -nt "$work" ]; then rm -rf "$work"; fi
  mkdir -p "$work"
  local what="building llama-server from the llama.cpp $LLAMA_CPP_TAG source (once; 10-20 min on 2 cores)"
  if declare -F corral_phase >/dev/null; then
    _corral_phase_progress() { echo "$(find "$work/build" -name '*.o' 2>/dev/null | wc -l) objects"; }
    corral_phase "$what" _corral_build_llama_server "$root" "$libs" "$src" "$work" ||
      { unset -f _corral_phase_progress; exit 1; }
    unset -f _corral_phase_progress
  else
    local started=$SECONDS
    echo "corral: $what ..." >&2
    (_corral_build_llama_server "$root" "$libs" "$src" "$work") || exit 1
    echo "corral: llama-server built in $((SECONDS - started)) s" >&2
  fi
  rm -rf "$work"
  echo "$root/llama-server"
}

# Configures and builds llama-server in $4 (a build folder the caller owns) from the source
# tree $3 against the ggml libraries in $2, checks it starts, publishes it as $1/llama-server.
_corral_build_llama_server() {
  local root="$1" libs="$2" src="$3" work="$4"
  local jobs="${CORRAL_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
  # LLAMA_USE_SYSTEM_GGML takes ggml from find_package(ggml): this package file makes the
  # prebuilt libraries that package.
  mkdir -p "$work/ggml-package"
  cat >"$work/ggml-package/ggml-config.cmake" <<EOF
add_library(ggml::ggml-base SHARED IMPORTED GLOBAL)
set_target_properties(ggml::ggml-base PROPERTIES
  IMPORTED_LOCATION "$libs/libggml-base.so"
  INTERFACE_INCLUDE_DIRECTORIES "$src/ggml/include")
add_library(ggml::ggml SHARED IMPORTED GLOBAL)
set_target_properties(ggml::ggml PROPERTIES
  IMPORTED_LOCATION "$libs/libggml.$LLAMA_CPP_TAG.so"
  INTERFACE_INCLUDE_DIRECTORIES "$src/ggml/include"
  INTERFACE_LINK_LIBRARIES ggml::ggml-base)
set(ggml_FOUND TRUE)
EOF
  # No UI (it would be downloaded), no TLS, no tests or examples. RUNPATH: $ORIGIN/../libs
  # first (CMake escapes it for the generator), then the absolute libs folder CMake adds.
  local generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  if ! cmake -S "$src" -B "$work/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_USE_SYSTEM_GGML=ON -Dggml_DIR="$work/ggml-package" \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF \
    -DCMAKE_BUILD_RPATH='$ORIGIN/../libs' -DCMAKE_BUILD_RPATH_USE_ORIGIN=ON \
    >"$work/configure.log" 2>&1; then
    cat "$work/configure.log" >&2
    _corral_die "configuring llama-server failed (see above; the build folder $work is kept)"
  fi
  if ! cmake --build "$work/build" --target llama-server -j "$jobs" >"$work/build.log" 2>&1; then
    tail -n 60 "$work/build.log" >&2
    _corral_die "building llama-server failed (see above; the next call resumes $work)"
  fi
  # Staged beside libs/ so $ORIGIN/../libs resolves, started once before it is published.
  local stage="$root/.llama-server.partial"
  rm -rf "$stage"
  mkdir -p "$stage" && cp "$work/build/bin/llama-server" "$stage/llama-server" ||
    _corral_die "could not copy llama-server into $stage"
  local variant
  for variant in "$libs"/libggml-cpu-*.so; do
    ln -s "../libs/$(basename "$variant")" "$stage/$(basename "$variant")" || _corral_die "could not link $variant"
  done
  if ! "$stage/llama-server" --version >"$work/version.log" 2>&1; then
    cat "$work/version.log" >&2
    rm -rf "$stage"
    _corral_die "the llama-server just built does not start (see above)"
  fi
  # The folder is swapped whole (a reader sees the old one or the new one); .complete last.
  rm -rf "$root/llama-server.old"
  if [ -d "$root/llama-server" ]; then mv "$root/llama-server" "$root/llama-server.old" || _corral_die "could not replace $root/llama-server"; fi
  mv "$stage" "$root/llama-server" || _corral_die "could not publish $root/llama-server"
  rm -rf "$root/llama-server.old"
  touch "$root/llama-server/.complete"
}

# g++ (and gcc) for libmtmd; on Debian/Ubuntu installed with apt when missing.
_corral_ensure_cxx() {
  command -v g++ >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 && return
  if command -v apt-get >/dev/null 2>&1; then
    echo "corral: installing g++ (needed once to build libmtmd) ..." >&2
    { apt-get install -y -qq g++ >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq g++ >/dev/null 2>&1; }; } ||
      _corral_die "could not install g++ with apt-get; install a C++17 compiler (g++) to build libmtmd"
  else
    _corral_die "g++ is needed once to build libmtmd (llama.cpp's multimodal library); install it"
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-libs}" in
    libs) corral_ensure_llama_libs ;;
    source) corral_ensure_llama_source ;;
    mtmd) corral_ensure_mtmd ;;
    llama-server) corral_ensure_llama_server ;;
    backend) corral_llama_backend ;;
    backend-libs) corral_ensure_backend_libs "${2:-}" ;;
    backend-mtmd) corral_ensure_backend_mtmd "${2:-}" ;;
    *) _corral_die "usage: eng/native.sh libs|source|mtmd|llama-server|backend|backend-libs [cpu|vulkan|cuda]|backend-mtmd [cpu|vulkan|cuda]" ;;
  esac
fi
