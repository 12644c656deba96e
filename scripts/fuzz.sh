#!/usr/bin/env bash
# Builds each libFuzzer target of Fuzz/ and runs it for a bounded time.
# FUZZ_SECONDS sets the time per target (default 30). Corpora are kept under
# .build/fuzz-corpus so that later runs start from what earlier runs found;
# crash inputs are written to .build/fuzz-artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
targets=(FuzzFrameDecoder FuzzMessageDecoder)

for target in "${targets[@]}"; do
  swift build --package-path Fuzz --product "$target" --sanitize=fuzzer -c release
done
bin_dir=$(swift build --package-path Fuzz --sanitize=fuzzer -c release --show-bin-path)

for target in "${targets[@]}"; do
  corpus=.build/fuzz-corpus/$target
  artifacts=.build/fuzz-artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  echo "fuzzing $target for ${seconds}s (corpus $corpus)"
  "$bin_dir/$target" "$corpus" -max_total_time="$seconds" -artifact_prefix="$artifacts/" -print_final_stats=1
done
