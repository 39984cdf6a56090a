#!/usr/bin/env bash
# The project's test command (see README): every test of the workspace, with a private Docker
# daemon for the real-daemon suite. Needs root: it installs Debian's docker.io and
# busybox-static with apt-get when missing, and starts/stops its own dockerd on a unix socket
# and 127.0.0.1 only (tests/daemon/daemon.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# The published OpenAPI 3 documents, checked by an independent validator (a venv in target/).
tests/openapi/validate.sh

# The report page in Debian's Chromium, headless; installs chromium (apt-get) and playwright-core
# (npm) when missing; screenshots in target/artifacts/.
tests/browser/run.sh

# Build everything first so the daemon is up only while tests run.
cargo test --workspace --no-run --quiet

# The transport's opt-in features (platform TLS roots, tracing spans) and their tests; no daemon.
cargo test -p docker-engine-transport --features tls-native-roots,tls-webpki-roots,tracing --quiet

# --no-fail-fast: report every failing test binary, not only the first.
exec tests/daemon/daemon.sh run -- cargo test --workspace --no-fail-fast "$@"
# Every shipped crate packages as crates.io would take it.
tests/package.sh

