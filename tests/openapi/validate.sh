#!/usr/bin/env bash
# Validates every generated/openapi/v1.NN.json with an independent validator,
# `openapi-spec-validator` from PyPI (OpenAPI 3.0 schema, every $ref resolved). Called by
# tests/run.sh. The validator lives in a virtual environment under target/ (made once, reused;
# nothing is installed outside it), so a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=0.9.0
VENV=target/openapi-venv
PYTHON=${PYTHON:-python3.11}
if ! "$VENV/bin/openapi-spec-validator" --version 2>/dev/null | grep -q "$VERSION"; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$VERSION"
fi

shopt -s nullglob
documents=(generated/openapi/v1.*.json)
specs=$(ls generated/v1_*/models/Cargo.toml 2>/dev/null | wc -l)
if [ "${#documents[@]}" -eq 0 ] || [ "${#documents[@]}" -ne "$specs" ]; then
    echo "openapi: expected one document per generated version ($specs), found ${#documents[@]}" >&2
    exit 1
fi
# One process for all files: the validator's start-up is most of the time.
"$VENV/bin/openapi-spec-validator" --schema 3.0 --validation-errors all "${documents[@]}"
echo "openapi: ${#documents[@]} passed, 0 failed"
