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
# Its default build has no TLS: a TLS host is then refused with the feature to turn on.
cargo test -p docker-engine-transport --test connect_rules --quiet

# Every shipped crate packages as crates.io would take it.
tests/package.sh

# Doctests (no daemon; the examples are `no_run`): the endpoint crates all carry the same
# examples from one generator, so the newest crate and the daemon's own (v1.41) stand for the 16
# (all 16 would add ~2.5 minutes); the transport's ran above. The examples also run against
# the daemon below (examples/tests/snippets_daemon.rs).
cargo test --doc -p docker-engine-api-v1-55 -p docker-engine-api-v1-41 --quiet

# --no-fail-fast: report every failing test binary, not only the first. Doctests ran above.
exec tests/daemon/daemon.sh run -- cargo test --workspace --lib --bins --tests --no-fail-fast "$@"
