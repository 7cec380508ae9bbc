#!/usr/bin/env bash
# run-fuzzer.sh TARGET CORPUS: runs a libFuzzer target for CAIRN_FUZZ_SECONDS
# over its seed corpus. New inputs go to a scratch directory, never into the
# repository's corpus. Fails if the seed corpus is missing or the target finds
# a crash, leak, timeout or sanitizer report.
set -euo pipefail
target=$1
corpus=$2
seconds=${CAIRN_FUZZ_SECONDS:-5}
[ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || { echo "no seed corpus in $corpus" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=70000 \
  -artifact_prefix="$scratch/" -print_final_stats=1 "$scratch" "$corpus" 2>"$scratch/log" || {
  tail -60 "$scratch/log" >&2
  for a in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-*; do
    [ -e "$a" ] && echo "reproducer: $(basename "$a") (base64) $(base64 -w0 "$a")" >&2
  done
  exit 1
}
grep -E '^stat::number_of_executed_units|^Done' "$scratch/log" | tr '\n' ' '
echo
