#!/usr/bin/env bash
# Fuzzes one of Corral's parsers with afl-fuzz through SharpFuzz.
#
#   fuzz/run.sh TARGET [SECONDS]   fuzz TARGET for SECONDS (default 300); prints execs_done and any crashes
#   fuzz/run.sh save TARGET        minimize afl's queue (and crashes) into fuzz/corpus/TARGET/
#   fuzz/run.sh replay TARGET PATH...   run inputs once, in-process, and print what escaped the target
#
# Targets: gguf modelfile gotemplate jinja jsonschema image manifest (fuzz/Corral.Fuzz/Targets/).
# Installs afl++ (apt) and the sharpfuzz tool when missing. Work goes to artifacts/fuzz/: the instrumented
# build in bin/TARGET/ (one per target, so two targets can fuzz at once while one is rebuilt), afl's state in
# out/TARGET/ (a second run of a target resumes from its queue; delete it to start again from the corpus).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$repo/artifacts/fuzz"
tools="$repo/artifacts/tools"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage

ensure_tools() {
  command -v afl-fuzz >/dev/null || { apt-get update -qq && apt-get install -y -qq afl++ >/dev/null; }
  [ -x "$tools/sharpfuzz" ] || dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
}

# A fresh publish every time, then instrumentation of our own parsers only: instrumenting the framework
# would make afl chase coverage in System.Text.Json instead of in Corral.
# One publish at a time (two at once fight over obj/), then a private copy per target to instrument.
build() {
  mkdir -p "$work"
  (
    flock 9
    rm -rf "$work/publish"
    dotnet publish "$repo/fuzz/Corral.Fuzz/Corral.Fuzz.csproj" -c Release -o "$work/publish" -v q -nologo >/dev/null
    rm -rf "$bin"
    mkdir -p "$(dirname "$bin")"
    cp -r "$work/publish" "$bin"
  ) 9>"$work/publish.lock"
  "$tools/sharpfuzz" "$bin/Corral.Models.dll"
  "$tools/sharpfuzz" "$bin/Corral.Templates.dll"
  "$tools/sharpfuzz" "$bin/Corral.Llama.dll" Corral.Llama.Grammar
  "$tools/sharpfuzz" "$bin/Corral.Server.dll" Corral.Server.Vision
}

dictionary() {
  case "$1" in
    jsonschema|manifest) echo "-x $repo/fuzz/dict/json.dict" ;;
    gotemplate) echo "-x $repo/fuzz/dict/gotemplate.dict" ;;
    jinja) echo "-x $repo/fuzz/dict/jinja.dict" ;;
    modelfile) echo "-x $repo/fuzz/dict/modelfile.dict" ;;
  esac
}

# afl in a shared VM: no CPU-frequency or core-dump tuning, no pinning to a core another job uses.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1

case "$1" in
  save)
    target="${2:?target}"
    bin="$work/bin/$target"
    out="$work/out/$target/default"
    corpus="$repo/fuzz/corpus/$target"
    tmp="$(mktemp -d -p "$work")" # afl-cmin refuses to work under /tmp
    trap 'rm -rf "$tmp"' EXIT
    # afl-cmin keeps the smallest inputs that together reach every edge the queue reaches.
    AFL_FORKSRV_INIT_TMOUT=20000 afl-cmin -i "$out/queue" -o "$tmp/min" -t 5000 -m none -- "$(command -v dotnet)" "$bin/Corral.Fuzz.dll" "$target" >/dev/null
    added=0
    for f in "$tmp"/min/* "$out"/crashes/id:* "$out"/hangs/id:*; do
      [ -f "$f" ] || continue
      # Queue entries over 4 KiB add little coverage for their bytes; the corpus stays small enough to commit.
      case "$f" in */min/*) [ "$(stat -c %s "$f")" -le 4096 ] || continue ;; esac
      case "$f" in */crashes/*) prefix=crash ;; */hangs/*) prefix=hang ;; *) prefix=q ;; esac
      name="$prefix-$(sha1sum "$f" | cut -c1-12)"
      ls "$corpus"/*-"${name#*-}" >/dev/null 2>&1 || { cp "$f" "$corpus/$name"; added=$((added + 1)); }
    done
    echo "$target: $added new inputs; corpus now $(ls "$corpus" | wc -l) files, $(du -sh "$corpus" | cut -f1)"
    ;;
  replay)
    target="${2:?target}"; shift 2
    # The plain build, not the instrumented one: instrumented code writes to afl's shared memory, which only
    # exists under afl-fuzz.
    dotnet run --project "$repo/fuzz/Corral.Fuzz" -c Release -- "$target" "$@"
    ;;
  *)
    target="$1"; seconds="${2:-300}"
    bin="$work/bin/$target"
    [ -d "$repo/fuzz/corpus/$target" ] || { echo "unknown target '$target'"; usage; }
    ensure_tools
    build >/dev/null
    out="$work/out/$target"
    mkdir -p "$out"
    # afl's seeds: the corpus files up to 16 KiB (afl wants small seeds; the larger ones are deep-nesting regression
    # inputs that CI replays in-process).
    input="$out/seeds"
    rm -rf "$input"; mkdir -p "$input"
    find "$repo/fuzz/corpus/$target" -type f -size -16k -exec cp {} "$input/" \;
    [ -d "$out/default/queue" ] && input="-" # resume
    # -t: a parser that needs more than 2 s for one small input is hanging (the replay test uses the same bound).
    # The recursive parsers run out of process (slower), so an input that kills the process is saved, not lost.
    case "$target" in gotemplate|jinja) export CORRAL_FUZZ_OUT_OF_PROCESS=1 ;; esac
    # shellcheck disable=SC2046
    AFL_FORKSRV_INIT_TMOUT=20000 afl-fuzz -V "$seconds" -i "$input" -o "$out" -t 2000 -m none $(dictionary "$target") \
      -- dotnet "$bin/Corral.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || { tail -30 "$out/afl.log"; exit 1; }
    stats="$out/default/fuzzer_stats"
    execs="$(awk -F': ' '/^execs_done/ {print $2}' "$stats")"
    crashes="$(ls "$out/default/crashes" | grep -c '^id:' || true)"
    hangs="$(ls "$out/default/hangs" | grep -c '^id:' || true)"
    echo "$target: execs_done $execs in ${seconds}s, $(awk -F': ' '/^corpus_count/ {print $2}' "$stats") queue entries, $crashes crashes, $hangs hangs"
    ;;
esac
