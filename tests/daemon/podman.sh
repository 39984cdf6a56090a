#!/usr/bin/env bash
# Podman's Docker-compatible API as a second server for the real-daemon tests (called by
# daemon.sh; see DESIGN.md, "Real servers"). Debian's podman 4.3, rootful, everything of its own
# under TMP/podman: storage (overlay, else vfs), run root, tmp dir, events log, and its own
# containers.conf, storage.conf and registries.conf (no search registries: nothing is ever
# looked up off this machine). The VM lacks CAP_SYS_RESOURCE, so containers.conf sets
# default_ulimits (nofile, nproc) to values no higher than the limits already in force (Podman
# would otherwise raise them to 1048576 for every container, and runc's setrlimit fails:
# "error setting rlimit type 6: operation not permitted").
#
#   podman.sh start TMP   starts `podman system service --time=0 unix://TMP/podman/podman.sock`;
#                         prints DOCKER_TEST_PODMAN_SOCKET=… and DOCKER_TEST_PODMAN_PID=…
#   podman.sh stop TMP    removes its containers (podman rm -af), stops the service and any
#                         conmon left; daemon.sh then unmounts and removes TMP. Idempotent.
set -euo pipefail

log() { echo "podman.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

ours() { alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2/"; }

podman_env() { # the config files of folder $1, for every podman command of ours
    export CONTAINERS_CONF=$1/containers.conf
    export CONTAINERS_STORAGE_CONF=$1/storage.conf
    export CONTAINERS_REGISTRIES_CONF=$1/registries.conf
}

podman_cmd() { # folder args...
    local p=$1
    shift
    podman --root "$p/root" --runroot "$p/runroot" --storage-driver "$(cat "$p/driver")" \
        --cgroup-manager cgroupfs --events-backend file --tmpdir "$p/tmp" "$@"
}

write_config() { # folder driver
    local p=$1 nofile nproc
    # 4096 each, or less where the hard limit is lower: only lowering a limit needs no
    # CAP_SYS_RESOURCE (the service itself may run with less than this shell: 32768 processes).
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    { [ "$nofile" = unlimited ] || [ "$nofile" -gt 4096 ]; } && nofile=4096
    { [ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ]; } && nproc=4096
    cat >"$p/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$p/events.log"
runtime = "runc"
tmp_dir = "$p/tmp"
image_copy_tmp_dir = "$p/tmp"
[network]
# networks the tests create live here, not in /etc/cni/net.d
network_config_dir = "$p/networks"
EOF
    mkdir -p "$p/networks"
    printf 'unqualified-search-registries = []\n' >"$p/registries.conf"
    # the test registries (registry.sh, plain HTTP on 127.0.0.1), when daemon.sh started them
    local reg
    for reg in $(sed -n 's/^DOCKER_TEST_REGISTRY\(_OPEN\)\{0,1\}=//p' "$(dirname "$p")/env" 2>/dev/null); do
        printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$reg" >>"$p/registries.conf"
    done
    cat >"$p/storage.conf" <<EOF
[storage]
driver = "$2"
graphroot = "$p/root"
runroot = "$p/runroot"
EOF
    echo "$2" >"$p/driver"
}

launch() { # folder
    local p=$1 i
    podman_env "$p"
    # its compat handlers (image load and save) write temporary files to TMPDIR
    TMPDIR=$p/tmp setsid podman --root "$p/root" --runroot "$p/runroot" --storage-driver "$(cat "$p/driver")" \
        --cgroup-manager cgroupfs --events-backend file --tmpdir "$p/tmp" --log-level=info \
        system service --time=0 "unix://$p/podman.sock" </dev/null >"$p/podman.log" 2>&1 &
    echo $! >"$p/podman.pid"
    for i in $(seq 1 150); do
        [ -S "$p/podman.sock" ] &&
            [ "$(curl -s --max-time 2 --unix-socket "$p/podman.sock" http://localhost/_ping 2>/dev/null)" = OK ] &&
            return 0
        alive "$(cat "$p/podman.pid")" || break
        sleep 0.2
    done
    tail -n 20 "$p/podman.log" >&2
    return 1
}

cmd_start() {
    local t=$1 p
    p=$t/podman
    command -v podman >/dev/null || die "podman not found (Debian's podman)"
    mkdir -p "$p/root" "$p/runroot" "$p/tmp"
    # Podman keeps a blob-info cache in /var/lib/containers/cache (no setting moves it); when
    # that folder is made by this run, stop removes it again.
    [ -e /var/lib/containers ] || touch "$p/made-var-lib-containers"
    write_config "$p" overlay
    if ! launch "$p"; then
        cmd_stop "$t"
        log "podman with overlay did not start; retrying with vfs"
        rm -rf "$p/root" "$p/runroot" && mkdir -p "$p/root" "$p/runroot" "$p/tmp"
        write_config "$p" vfs
        launch "$p" || { cmd_stop "$t"; die "podman system service did not answer /_ping"; }
    fi
    echo "DOCKER_TEST_PODMAN_SOCKET=$p/podman.sock"
    echo "DOCKER_TEST_PODMAN_PID=$(cat "$p/podman.pid")"
    log "podman service pid $(cat "$p/podman.pid") on $p/podman.sock ($(cat "$p/driver"))"
}

cmd_stop() {
    local t=$1 p pid i left q
    p=$t/podman
    [ -d "$p" ] || return 0
    podman_env "$p"
    [ -f "$p/driver" ] && timeout 60 bash -c "$(declare -f podman_cmd); podman_cmd '$p' rm -af -t 0" >/dev/null 2>&1 || true
    pid=$(cat "$p/podman.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ours "$pid" "$p"; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do ours "$pid" "$p" || break; sleep 0.1; done
        ours "$pid" "$p" && kill -KILL "$pid" 2>/dev/null || true
    fi
    # conmon (and anything else) still naming our folder
    for i in 1 2; do
        left=""
        for q in /proc/[0-9]*; do
            q=${q#/proc/}
            case "$(readlink "/proc/$q/exe" 2>/dev/null)" in */podman | */conmon | */runc) ;; *) continue ;; esac
            ours "$q" "$p" && left="$left $q"
        done
        [ -z "$left" ] && break
        # shellcheck disable=SC2086
        kill -TERM $left 2>/dev/null || true
        sleep 0.5
        # shellcheck disable=SC2086
        [ $i = 2 ] && kill -KILL $left 2>/dev/null || true
    done
    rm -f "$p/podman.sock"
    if [ -f "$p/made-var-lib-containers" ]; then
        rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
        rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null || true
    fi
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
*)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
