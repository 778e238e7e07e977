#!/usr/bin/env bash
# `cargo deny check` (deny.toml) against the offline snapshot of the RustSec advisory database,
# with nothing fetched: CI reaches the package registries but not the database's git host.
#
#   scripts/deny.sh                 # every check: advisories, bans, licenses, sources
#   scripts/deny.sh advisories      # one of them
#
# The snapshot (`../shared/advisory-db` beside the clone, or MM_ADVISORY_SNAPSHOT) holds the
# database's files without its git history; cargo-deny reads a git checkout and dates it by its
# last fetch. So the snapshot is copied under target/ as a one-commit repository dated, commit
# and fetch alike, by the date its SNAPSHOT.md gives: deny.toml's `maximum-db-staleness` then
# measures the snapshot's real age, not the copy's.
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot=${MM_ADVISORY_SNAPSHOT:-../shared/advisory-db}
[[ -d "$snapshot/crates" && -f "$snapshot/SNAPSHOT.md" ]] \
  || { echo "deny.sh: no advisory snapshot at $snapshot (crates/ and SNAPSHOT.md)" >&2; exit 1; }
taken=$(sed -n 's/.* of \([0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}\)[^0-9].*/\1/p' "$snapshot/SNAPSHOT.md" | head -n 1)
[[ -n "$taken" ]] || { echo "deny.sh: $snapshot/SNAPSHOT.md gives no date (YYYY-MM-DD)" >&2; exit 1; }

# deny.toml's `db-path`; the directory name is cargo-deny's for the default database URL
# (its last path segment and a hash of it).
db=target/advisory-dbs/advisory-db-3157b0e258782691
rm -rf "$db"
mkdir -p "$db"
cp -R "$snapshot/." "$db/"
chmod -R u+w "$db"
(
  cd "$db"
  export GIT_AUTHOR_NAME=snapshot GIT_AUTHOR_EMAIL=snapshot@localhost
  export GIT_COMMITTER_NAME=snapshot GIT_COMMITTER_EMAIL=snapshot@localhost
  export GIT_AUTHOR_DATE="${taken}T00:00:00Z" GIT_COMMITTER_DATE="${taken}T00:00:00Z"
  git init --quiet
  git add --all
  git commit --quiet --no-gpg-sign --message "RustSec advisory database snapshot of $taken"
  : >.git/FETCH_HEAD
  touch -d "${taken}T00:00:00Z" .git/FETCH_HEAD .git/HEAD
)
age=$((($(date +%s) - $(date -d "$taken" +%s)) / 86400))
echo "advisory database: snapshot of $taken ($age days old), $(find "$db/crates" -name '*.md' | wc -l) advisories"

# `--offline` is what keeps cargo-deny from fetching the database; it would also keep cargo
# from downloading the manifests of dependencies for other platforms, so each crate graph is
# resolved first, online (package registries only), with every feature.
checks=("$@")
[[ ${#checks[@]} -gt 0 ]] || checks=(advisories bans licenses sources)
deny() { cargo deny --locked --offline --color never --metadata-path "$@"; }
workspace=() sdk=()
for check in "${checks[@]}"; do
  case "$check" in
    bans) sdk+=(bans) ;;
    all) workspace+=(advisories licenses sources) sdk+=(bans) ;;
    *) workspace+=("$check") ;;
  esac
done
status=0
if [[ ${#workspace[@]} -gt 0 ]]; then
  # Advisories, licences and sources: everything the workspace builds, tools and tests too.
  echo "== ${workspace[*]}: the workspace, every feature"
  cargo metadata --locked --all-features --format-version 1 >target/deny-workspace.json
  deny target/deny-workspace.json check "${workspace[@]}" || status=1
fi
if [[ ${#sdk[@]} -gt 0 ]]; then
  # Duplicates and banned crates: what a user builds, mm-sdk with every feature, no
  # dev-dependencies (deny.toml, [bans]).
  echo "== bans: mm-sdk, every feature, without dev-dependencies"
  cargo metadata --locked --all-features --format-version 1 \
    --manifest-path sdk-ergonomic/Cargo.toml >target/deny-sdk.json
  deny target/deny-sdk.json --manifest-path sdk-ergonomic/Cargo.toml --exclude-dev check bans \
    || status=1
fi
exit "$status"
