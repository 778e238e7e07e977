#!/usr/bin/env bash
# `mm`'s start-up and one call against `mm sandbox`, next to the same call made by a small Rust
# program through the SDK (cli/examples/sdk_product_list.rs), and the binary's size: the
# numbers of BENCHMARKS.md, "The command line". Release builds; each figure is the mean wall
# time of N runs (default 50), after one run to warm the file cache.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
cargo build --release --locked -p mm-cli --bins --examples >&2
mm=target/release/mm
sdk=target/release/examples/sdk_product_list

log=$(mktemp)
"$mm" sandbox >"$log" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
    url=$(head -n1 "$log")
    [ -n "$url" ] && break
    sleep 0.05
done
[ -n "$url" ] || { echo "mm sandbox printed no URL" >&2; exit 1; }

# Mean microseconds of `runs` runs of the command.
mean() {
    "$@" >/dev/null
    local start end
    start=$(date +%s%N)
    for _ in $(seq "$runs"); do "$@" >/dev/null; done
    end=$(date +%s%N)
    echo $(((end - start) / runs / 1000))
}

spawn=$(mean /bin/true)
help=$(mean "$mm" --help)
call=$(mean "$mm" --sandbox "$url" manager products product-list --company-id 421)
program=$(mean "$sdk" "$url")
size=$(stat -c %s "$mm")
stripped=$(mktemp)
strip -o "$stripped" "$mm"
stripped_size=$(stat -c %s "$stripped")
rm -f "$stripped"

echo "runs: $runs"
echo "process start (/bin/true): ${spawn} us"
echo "mm --help: ${help} us"
echo "mm product-list on the sandbox: ${call} us"
echo "SDK program, the same call: ${program} us"
awk -v a="$call" -v b="$program" 'BEGIN { printf "ratio mm / SDK program: %.2f\n", a / b }'
echo "mm binary: $size bytes ($stripped_size stripped)"
