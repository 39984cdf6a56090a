#!/usr/bin/env bash
# Packaging check of every shipped crate (the transport and the 16 models and 16 endpoint
# crates): `cargo package` must accept each manifest as crates.io would (versions on path
# dependencies, metadata, readme, file list). The newest version's pair and the transport are
# also verified, i.e. built from the packaged sources alone with their dependencies taken
# from the packages (a local registry cargo makes), not from the workspace; building all 33
# that way would add minutes to CI for crates generated from the same emitter.
set -euo pipefail
cd "$(dirname "$0")/.."

shipped=(-p docker-engine-transport)
for dir in generated/v1_*/; do
    suffix=$(basename "$dir" | tr _ -)
    shipped+=(-p "docker-engine-models-$suffix" -p "docker-engine-api-$suffix")
done
newest=$(ls -d generated/v1_*/ | sort -V | tail -1 | xargs basename | tr _ -)

echo "== cargo package --no-verify: ${#shipped[@]} arguments ($(( ${#shipped[@]} / 2 )) crates)"
cargo package --quiet --allow-dirty --no-verify "${shipped[@]}"
# Cargo unpacks the packages it verifies against from its temporary local registry into
# $CARGO_HOME/registry/src/<that registry>/NAME-VERSION once per version and reuses that copy,
# so a second run would build against the sources of the first. Remove only those copies of
# our own crates (never anything unpacked from crates.io).
for stale in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/docker-engine-{transport,models-v1-*,api-v1-*}-[0-9]*; do
    case "$stale" in */registry/src/index.crates.io-*) continue ;; esac
    [ -d "$stale" ] && rm -rf -- "$stale"
done

echo "== cargo package (verified): transport, models and api $newest"
cargo package --quiet --allow-dirty \
    -p docker-engine-transport -p "docker-engine-models-$newest" -p "docker-engine-api-$newest"
