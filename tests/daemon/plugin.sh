#!/usr/bin/env bash
# The rootfs of the real-daemon suite's managed plugin (called by daemon.sh start).
#
#   plugin.sh build DIR   writes DIR/rootfs: the busybox binary and bin/plugin-serve, a static
#                         program built here from plugin/serve.c that serves the plugin's unix
#                         socket. The suite puts a config.json beside it and tars both for
#                         PluginCreate. Prints DOCKER_TEST_PLUGIN_ROOTFS=DIR/rootfs.
#
# Needs gcc and the static C library (Debian's gcc and libc6-dev; daemon.sh installs them).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "plugin.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

cmd_build() {
    local r=$1/rootfs
    mkdir -p "$r/bin" "$r/run/docker/plugins" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/etc"
    cp /bin/busybox "$r/bin/busybox"
    ln -s busybox "$r/bin/sh"
    gcc -static -Os -Wall -Werror -o "$r/bin/plugin-serve" "$SCRIPT_DIR/plugin/serve.c" ||
        die "cannot build plugin-serve (gcc, libc6-dev)"
    strip "$r/bin/plugin-serve" 2>/dev/null || true
    echo "DOCKER_TEST_PLUGIN_ROOTFS=$r"
}

case "${1:-}" in
build) shift; cmd_build "$@" ;;
*)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
