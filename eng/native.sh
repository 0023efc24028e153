#!/usr/bin/env bash
# Fetches the pinned llama.cpp build (and, for tests, its source headers) into a
# cache outside the source tree. Sourced by ./corral and ./test.sh; also runnable:
#   eng/native.sh libs     -> prints the library folder
#   eng/native.sh source   -> prints the llama.cpp source folder (llama.h, ...)
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

# npm pack a package into a temp dir, check its sha256, unpack it to $3.
_corral_fetch_npm() {
  local pkg="$1" sha="$2" dest="$3"
  command -v npm >/dev/null 2>&1 ||
    _corral_die "npm is needed once to fetch llama.cpp ($pkg@$LLAMA_NPM_VERSION). Install Node.js and npm (apt-get install nodejs npm), or set CORRAL_LLAMA_LIB_DIR to a folder holding libllama and libggml."
  local tmp
  tmp="$(mktemp -d)"
  echo "corral: fetching $pkg@$LLAMA_NPM_VERSION (once) ..." >&2
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
    _corral_fetch_npm "$LLAMA_NPM_LIBS_PACKAGE" "$LLAMA_NPM_LIBS_SHA256" "$root/libs-package"
    rm -rf "$root/libs"
    mv "$root/libs-package/bins/linux-x64" "$root/libs"
    rm -rf "$root/libs-package"
    touch "$root/libs/.complete"
  fi
  echo "$root/libs"
}

# Prints the llama.cpp source folder of the pinned version (headers for the ABI
# test, sources for libmtmd), fetching it on first use.
corral_ensure_llama_source() {
  local root
  root="$(corral_llama_dir)"
  if [ ! -f "$root/src/.complete" ]; then
    command -v git >/dev/null 2>&1 || _corral_die "git is needed to unpack the llama.cpp source bundle (apt-get install git)"
    _corral_fetch_npm "$LLAMA_NPM_SOURCE_PACKAGE" "$LLAMA_NPM_SOURCE_SHA256" "$root/source-package"
    rm -rf "$root/src"
    git clone --quiet "$root/source-package/llama/gitRelease.bundle" "$root/src" 2>/dev/null ||
      _corral_die "could not unpack llama/gitRelease.bundle from $LLAMA_NPM_SOURCE_PACKAGE"
    rm -rf "$root/source-package"
    touch "$root/src/.complete"
  fi
  echo "$root/src"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-libs}" in
    libs) corral_ensure_llama_libs ;;
    source) corral_ensure_llama_source ;;
    *) _corral_die "usage: eng/native.sh libs|source" ;;
  esac
fi
