#!/usr/bin/env bash
# The browser test of generated/report.html (tests/browser/report.test.mjs): Debian's Chromium,
# headless, driven by playwright-core from npm (no browser download: it uses /usr/bin/chromium).
# Installs, when missing: chromium (apt-get) and playwright-core (npm ci into
# tests/browser/node_modules, from the committed package-lock.json); a second run installs
# nothing. Screenshots go to target/artifacts/ (report.png, report-change.png,
# report-filtered.png). Called by tests/run.sh; needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if ! [ -x "$CHROMIUM" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null; then
    # playwright-core needs Node.js 20 or later (the machine's own; Debian 12's is older).
    echo "browser test: node (Node.js >= 20) is not installed" >&2
    exit 1
fi
wanted=$(node -p "require('./tests/browser/package-lock.json').packages['node_modules/playwright-core'].version")
have=$(node -p "try{require('./tests/browser/node_modules/playwright-core/package.json').version}catch(e){''}")
if [ "$wanted" != "$have" ]; then
    # No install scripts: playwright-core has none, and nothing may download a browser.
    npm ci --prefix tests/browser --no-audit --no-fund --ignore-scripts --loglevel=error
fi
installed=$((SECONDS - started))

export ARTIFACTS_DIR=${ARTIFACTS_DIR:-$PWD/target/artifacts}
mkdir -p "$ARTIFACTS_DIR"
node --test --test-reporter=spec tests/browser/report.test.mjs
echo "browser test: installs ${installed} s, whole script $((SECONDS - started)) s; screenshots in $ARTIFACTS_DIR"
