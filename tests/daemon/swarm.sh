#!/usr/bin/env bash
# A second private dockerd for the two-node swarm tests (called by daemon.sh; see DESIGN.md,
# "Real servers"). Same flags as the first (no bridge, no iptables), its own data root, exec
# root (with its own containerd), pid file and unix socket under TMP/node2; no TCP listener of
# its own until a test makes it join or init a swarm on 127.0.0.1:SWARM_PORT.
#
#   swarm.sh start TMP SWARM_PORT   start it; prints KEY=VALUE lines:
#                                     DOCKER_TEST_NODE2_SOCKET      its unix socket
#                                     DOCKER_TEST_NODE2_SWARM_ADDR  127.0.0.1:SWARM_PORT, free for
#                                                                   its swarm listener
#                                     DOCKER_TEST_NODE2_SCRIPT      this script (for `restart`)
#   swarm.sh restart TMP            stop it (TERM) and start it again on the same data root:
#                                   a manager with autolock comes back locked
#   swarm.sh stop TMP               stop it and everything it started; remove nothing (daemon.sh
#                                   removes TMP, mounts included). Idempotent.
set -euo pipefail

log() { echo "swarm.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

ours() { # pid $1 is a process whose command line mentions folder $2
    alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2/"
}

launch() { # folder
    local n=$1 i driver
    driver=$(cat "$n/driver")
    setsid dockerd \
        --data-root "$n/data" \
        --exec-root "$n/exec" \
        --pidfile "$n/dockerd.pid" \
        --host "unix://$n/docker.sock" \
        --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
        --userland-proxy=false \
        --storage-driver="$driver" \
        --log-level=info \
        </dev/null >>"$n/dockerd.log" 2>&1 &
    echo $! >"$n/dockerd.launch-pid"
    for i in $(seq 1 300); do
        [ -S "$n/docker.sock" ] &&
            [ "$(curl -s --max-time 2 --unix-socket "$n/docker.sock" http://localhost/_ping 2>/dev/null)" = OK ] &&
            return 0
        alive "$(cat "$n/dockerd.launch-pid")" || break
        sleep 0.2
    done
    tail -n 20 "$n/dockerd.log" >&2
    return 1
}

halt() { # folder: TERM the daemon, then anything left with the folder in its command line
    local n=$1 pid p i left
    pid=$(cat "$n/dockerd.launch-pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ours "$pid" "$n"; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 150); do ours "$pid" "$n" || break; sleep 0.1; done
        ours "$pid" "$n" && kill -KILL "$pid" 2>/dev/null || true
    fi
    for i in 1 2; do
        left=""
        for p in /proc/[0-9]*; do
            p=${p#/proc/}
            case "$(readlink "/proc/$p/exe" 2>/dev/null)" in */dockerd | */containerd | */containerd-shim* | */runc) ;; *) continue ;; esac
            ours "$p" "$n" && left="$left $p"
        done
        [ -z "$left" ] && break
        # shellcheck disable=SC2086
        kill -TERM $left 2>/dev/null || true
        sleep 1
        # shellcheck disable=SC2086
        [ $i = 2 ] && kill -KILL $left 2>/dev/null || true
    done
    rm -f "$n/docker.sock"
}

cmd_start() {
    local t=$1 port=$2 n
    n=$t/node2
    mkdir -p "$n/data" "$n/exec"
    # the first daemon's driver (overlay2, or vfs where overlay2 does not work)
    echo "${DOCKER_TEST_STORAGE_DRIVER:-overlay2}" >"$n/driver"
    launch "$n" || { halt "$n"; die "the second dockerd did not answer /_ping"; }
    echo "DOCKER_TEST_NODE2_SOCKET=$n/docker.sock"
    echo "DOCKER_TEST_NODE2_SWARM_ADDR=127.0.0.1:$port"
    echo "DOCKER_TEST_NODE2_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/swarm.sh"
    log "second dockerd pid $(cat "$n/dockerd.launch-pid") on $n/docker.sock"
}

cmd_restart() {
    local n=$1/node2
    [ -d "$n" ] || die "no second daemon under $1"
    halt "$n"
    launch "$n" || { halt "$n"; die "the second dockerd did not come back"; }
    log "second dockerd restarted, pid $(cat "$n/dockerd.launch-pid")"
}

cmd_stop() {
    local n=$1/node2
    [ -d "$n" ] || return 0
    if [ -S "$n/docker.sock" ]; then
        curl -s --max-time 10 --unix-socket "$n/docker.sock" -X POST 'http://localhost/swarm/leave?force=1' >/dev/null 2>&1 || true
    fi
    halt "$n"
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
restart) shift; cmd_restart "$@" ;;
stop) shift; cmd_stop "$@" ;;
*)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
