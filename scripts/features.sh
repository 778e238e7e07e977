#!/usr/bin/env bash
# mm-sdk checked with no feature and with each of its features alone (what `cargo hack check
# --each-feature --no-dev-deps -p mm-sdk` does), then the small user crates of `tests/users`
# each with only its own features, and the Auth2 one's doctests, which show that what it
# leaves out is not compiled. Run from anywhere; CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

features=$(cargo metadata --locked --no-deps --format-version 1 | python3 -c '
import json, sys
package = next(p for p in json.load(sys.stdin)["packages"] if p["name"] == "mm-sdk")
print(" ".join(sorted(name for name in package["features"] if name != "default")))
')
echo "mm-sdk, no feature"
cargo check --locked --quiet -p mm-sdk --no-default-features
for feature in $features; do
  echo "mm-sdk --features $feature"
  cargo check --locked --quiet -p mm-sdk --no-default-features --features "$feature"
done
for user in tests/users/*/; do
  name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$user/Cargo.toml")
  echo "$name, with its own features"
  cargo check --locked --quiet -p "$name"
done
echo "mm-user-auth2-login: its doctests, built alone"
RUSTDOCFLAGS="--cfg mm_sdk_alone" cargo test --locked --quiet -p mm-user-auth2-login --doc
echo "mm-user-serde: no feature of serde_json that changes how numbers are read"
# Built alone, the user's crate with every feature of mm-sdk; its tests run with the rest.
graph=$(cargo tree --locked -p mm-user-serde -e features -i serde_json)
if grep -q arbitrary_precision <<<"$graph"; then
  printf 'serde_json has arbitrary_precision in a user'"'"'s build:\n%s\n' "$graph"
  exit 1
fi
grep -q 'serde_json feature "raw_value"' <<<"$graph" \
  || { echo "the feature graph shows none of serde_json's features: the check would prove nothing"; exit 1; }
