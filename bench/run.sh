#!/usr/bin/env bash
# Builds modelgen in release mode and runs every benchmark of BENCHMARKS.md in one run.
# Usage: bash bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p modelgen-cli -p modelgen-bench
./target/release/bench "$@"
