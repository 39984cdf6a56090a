#!/usr/bin/env bash
# A private Docker daemon for the real-daemon tests (see DESIGN.md, "The real daemon").
#
#   daemon.sh start             start a daemon; prints `export KEY=VALUE` lines on stdout
#                               (eval-able; the first is DOCKER_TEST_ENV_FILE=<tmp>/env)
#   daemon.sh stop [TMP]        stop it and remove everything it made. TMP defaults to
#                               $DOCKER_TEST_TMP, else the last one started on this machine
#                               (pass TMP when others may run daemons too). Idempotent.
#   daemon.sh run -- CMD...     start, export the env, run CMD, always stop; exits with CMD's status
#   daemon.sh status [TMP]      exit 0 when the daemon answers /_ping
#
# Needs root. Installs Debian's docker.io, busybox-static, docker-registry, apache2-utils, gcc,
# libc6-dev and podman with apt-get when missing, never starts the system docker/containerd (or
# registry, podman) service. Only the unix socket and 127.0.0.1 are used:
# no bridge, no iptables; registries are local (tests/daemon/registry.sh, on 127.0.0.1) and the
# test image comes from a busybox rootfs tarball.
#
# Environment (all optional):
#   DOCKER_TEST_START_TIMEOUT   seconds to wait for /_ping (default 60)
#   DOCKER_TEST_STORAGE_DRIVER  overlay2 (default) or vfs; falls back to vfs when overlay2 fails
#   DOCKER_TEST_KEEP=1          `run` leaves the daemon running (prints how to stop it)
#
# Env file keys (<tmp>/env, plain KEY=VALUE lines):
#   DOCKER_TEST_SOCKET        path of the unix socket
#   DOCKER_TEST_HOST          unix://<socket>
#   DOCKER_TEST_TLS_HOST      tcp://127.0.0.1:PORT (TLS, client certificate required)
#   DOCKER_TEST_CERT_DIR      ca.pem cert.pem key.pem for the client
#   DOCKER_TEST_WRONG_CA_DIR  ca.pem cert.pem key.pem of an unrelated CA (must be refused)
#   DOCKER_TEST_ROOTFS_TAR    uncompressed busybox rootfs tar for POST /images/create?fromSrc=-
#   DOCKER_TEST_SWARM_LISTEN_ADDR  127.0.0.1:PORT, a free port for swarm init's ListenAddr
#   DOCKER_TEST_DAEMON_PID    dockerd's pid
#   DOCKER_TEST_API_VERSION   the daemon's API version (1.41)
#   DOCKER_TEST_STORAGE_DRIVER  the storage driver in use (overlay2 or vfs)
#   DOCKER_TEST_SSH_HOST      ssh://root@127.0.0.1:PORT, an sshd whose sessions reach the daemon
#                             (tests/daemon/sshd.sh; `docker system dial-stdio` over ssh)
#   DOCKER_TEST_SSH_CONFIG    ssh client config for it (key, known_hosts: never ~/.ssh)
#   DOCKER_TEST_SSHD_PID      the listening sshd's pid
#   DOCKER_TEST_REGISTRY*     two registries on 127.0.0.1 (tests/daemon/registry.sh): with
#                             htpasswd (…, _USER, _PASSWORD, _LOG) and without auth (_OPEN, _OPEN_LOG)
#   DOCKER_TEST_NODE2_*       a second dockerd for the two-node swarm (tests/daemon/swarm.sh):
#                             _SOCKET, _SWARM_ADDR (a free 127.0.0.1 port), _SCRIPT
#   DOCKER_TEST_PODMAN_SOCKET Podman's Docker-compatible service (tests/daemon/podman.sh); _PID
#   DOCKER_TEST_PLUGIN_ROOTFS the rootfs folder of a managed plugin (tests/daemon/plugin.sh)
#   DOCKER_TEST_TMP           the temporary folder holding all of the above
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

LAST_FILE=/tmp/dockerd-test.last
log() { echo "daemon.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# packages

list_pids() { # pids of running processes whose executable basename is $1
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        [ "${exe##*/}" = "$1" ] && echo "${p#/proc/}"
    done
    return 0
}

ensure_packages() {
    local need=()
    command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
    dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
    command -v openssl >/dev/null 2>&1 || need+=(openssl)
    command -v curl >/dev/null 2>&1 || need+=(curl)
    command -v tar >/dev/null 2>&1 || need+=(tar)
    command -v ip >/dev/null 2>&1 || need+=(iproute2)
    [ -x /usr/sbin/sshd ] || need+=(openssh-server)
    command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
    [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
    command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
    command -v gcc >/dev/null 2>&1 || need+=(gcc)
    dpkg -s libc6-dev >/dev/null 2>&1 || need+=(libc6-dev)
    command -v podman >/dev/null 2>&1 || need+=(podman)
    [ ${#need[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "must run as root to install ${need[*]}"
    log "installing ${need[*]}"
    # Debian's postinst would start docker.service/containerd.service through invoke-rc.d;
    # a policy-rc.d that answers 101 forbids that. Put one in place for the install only.
    local policy=/usr/sbin/policy-rc.d made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    local before_d before_c
    before_d=" $(list_pids dockerd | tr '\n' ' ') "
    before_c=" $(list_pids containerd | tr '\n' ' ') "
    local rc=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
    } >&2 || rc=$?
    [ $made_policy = 1 ] && rm -f "$policy"
    [ $rc = 0 ] || die "apt-get install ${need[*]} failed"
    # Should a system daemon have been started anyway, stop exactly the ones that appeared now.
    local p
    for p in $(list_pids dockerd) $(list_pids containerd); do
        case "$before_d$before_c" in *" $p "*) continue ;; esac
        log "stopping system daemon pid $p started by the package install"
        kill -TERM "$p" 2>/dev/null || true
    done
}

# ---------------------------------------------------------------------------------------------
# helpers

free_port() { # a TCP port nobody listens on, from /proc/net/tcp{,6}
    local used port i
    used=$(awk 'NR>1 && $4=="0A" {split($2,a,":"); print strtonum("0x" a[2])}' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u | tr '\n' ' ')
    for i in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        case " $used $* " in *" $port "*) continue ;; esac
        echo "$port"
        return 0
    done
    die "no free port found"
}

make_certs() { # $1 = folder; writes ca.pem server-{cert,key}.pem, client/ and wrong-ca/
    local d=$1
    mkdir -p "$d/client" "$d/wrong-ca" "$d/work"
    local w=$d/work
    local key="openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out"
    ca() { # dir cn
        $key "$1/ca-key.pem" 2>/dev/null
        openssl req -x509 -new -key "$1/ca-key.pem" -sha256 -days 2 -subj "/CN=$2" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
            -out "$1/ca.pem" 2>/dev/null
    }
    leaf() { # ca-dir out-cert out-key cn extfile
        $key "$3" 2>/dev/null
        openssl req -new -key "$3" -subj "/CN=$4" -out "$w/req.csr" 2>/dev/null
        openssl x509 -req -in "$w/req.csr" -CA "$1/ca.pem" -CAkey "$1/ca-key.pem" -CAcreateserial \
            -days 2 -sha256 -extfile "$5" -out "$2" 2>/dev/null
    }
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$w/server.ext"
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >"$w/client.ext"
    ca "$w" "docker-test-ca"
    leaf "$w" "$d/server-cert.pem" "$d/server-key.pem" "127.0.0.1" "$w/server.ext"
    leaf "$w" "$d/client/cert.pem" "$d/client/key.pem" "docker-test-client" "$w/client.ext"
    cp "$w/ca.pem" "$d/ca.pem"
    cp "$w/ca.pem" "$d/client/ca.pem"
    # An unrelated CA with its own client certificate: the daemon must refuse it, and a client
    # trusting only it must refuse the daemon.
    mkdir -p "$w/wrong"
    ca "$w/wrong" "docker-test-wrong-ca"
    leaf "$w/wrong" "$d/wrong-ca/cert.pem" "$d/wrong-ca/key.pem" "docker-test-wrong-client" "$w/client.ext"
    cp "$w/wrong/ca.pem" "$d/wrong-ca/ca.pem"
    rm -rf "$w"
    chmod 600 "$d"/*key.pem "$d"/*/key.pem
}

make_rootfs() { # $1 = tar to write
    local r
    r=$(dirname "$1")/rootfs
    rm -rf "$r"
    mkdir -p "$r/bin" "$r/sbin" "$r/etc" "$r/tmp" "$r/root" "$r/proc" "$r/sys" "$r/dev" "$r/home" "$r/var"
    cp /bin/busybox "$r/bin/busybox"
    local a
    for a in $(/bin/busybox --list); do
        [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$r/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
    chmod 1777 "$r/tmp"
    tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$1" .
    rm -rf "$r"
}

dcurl() { # curl on the unix socket of $T
    curl -sS --max-time 30 --unix-socket "$T/docker.sock" "$@"
}

# ---------------------------------------------------------------------------------------------
# start

cmd_start() {
    [ "$(id -u)" = 0 ] || die "must run as root"
    local t0=$SECONDS
    ensure_packages
    command -v dockerd >/dev/null || die "dockerd not found after install"
    [ -x /bin/busybox ] || die "/bin/busybox not found after install"

    T=$(mktemp -d /tmp/dockerd-test.XXXX)
    chmod 755 "$T"
    echo "$T" >"$LAST_FILE"
    mkdir -p "$T/data" "$T/exec" "$T/certs"

    make_certs "$T/certs"
    make_rootfs "$T/rootfs.tar"

    local port swarm_port
    port=$(free_port)
    swarm_port=$(free_port "$port")
    local driver=${DOCKER_TEST_STORAGE_DRIVER:-overlay2}
    local timeout=${DOCKER_TEST_START_TIMEOUT:-60}

    start_dockerd() {
        : >"$T/dockerd.log"
        # setsid: dockerd and its managed containerd get their own session, so a Ctrl-C or a
        # job-control signal aimed at the caller does not kill them half-way.
        setsid dockerd \
            --data-root "$T/data" \
            --exec-root "$T/exec" \
            --pidfile "$T/dockerd.pid" \
            --host "unix://$T/docker.sock" \
            --host "tcp://127.0.0.1:$port" \
            --tlsverify \
            --tlscacert "$T/certs/ca.pem" \
            --tlscert "$T/certs/server-cert.pem" \
            --tlskey "$T/certs/server-key.pem" \
            --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
            --userland-proxy=false \
            --storage-driver="$1" \
            --log-level=info \
            </dev/null >>"$T/dockerd.log" 2>&1 &
        echo $! >"$T/dockerd.launch-pid"
    }
    wait_ping() {
        local deadline=$((SECONDS + timeout)) pid
        pid=$(cat "$T/dockerd.launch-pid")
        while [ $SECONDS -lt $deadline ]; do
            if [ -S "$T/docker.sock" ] &&
                [ "$(curl -s --max-time 2 --unix-socket "$T/docker.sock" http://localhost/_ping 2>/dev/null)" = OK ]; then
                return 0
            fi
            alive "$pid" || return 1
            sleep 0.2
        done
        return 1
    }

    start_dockerd "$driver"
    if ! wait_ping; then
        if [ "$driver" = overlay2 ] && ! alive "$(cat "$T/dockerd.launch-pid")"; then
            log "dockerd with overlay2 did not start; retrying with vfs"
            tail -n 5 "$T/dockerd.log" >&2 || true
            cmd_stop_inner keep-dir
            driver=vfs
            start_dockerd vfs
            wait_ping || { tail -n 30 "$T/dockerd.log" >&2; cmd_stop_inner; die "dockerd did not answer /_ping within ${timeout}s"; }
        else
            tail -n 30 "$T/dockerd.log" >&2 || true
            cmd_stop_inner
            die "dockerd did not answer /_ping within ${timeout}s"
        fi
    fi
    local pid api
    pid=$(cat "$T/dockerd.pid" 2>/dev/null || cat "$T/dockerd.launch-pid")
    api=$(dcurl http://localhost/version | sed -n 's/.*"ApiVersion":"\([^"]*\)".*/\1/p')
    # The TLS listener comes up with the unix one, but check it answers before handing it out.
    local i
    for i in $(seq 1 50); do
        curl -s --max-time 2 --cacert "$T/certs/ca.pem" --cert "$T/certs/client/cert.pem" \
            --key "$T/certs/client/key.pem" "https://127.0.0.1:$port/_ping" 2>/dev/null | grep -q OK && break
        sleep 0.1
    done

    # An sshd whose sessions reach this daemon, for the ssh:// tests.
    local ssh_port
    ssh_port=$(free_port "$port" "$swarm_port")
    "$SCRIPT_DIR/sshd.sh" start "$T" "$ssh_port" >"$T/ssh.env" || { cmd_stop_inner; die "sshd did not start"; }

    cat >"$T/env" <<EOF
DOCKER_TEST_SOCKET=$T/docker.sock
DOCKER_TEST_HOST=unix://$T/docker.sock
DOCKER_TEST_TLS_HOST=tcp://127.0.0.1:$port
DOCKER_TEST_CERT_DIR=$T/certs/client
DOCKER_TEST_WRONG_CA_DIR=$T/certs/wrong-ca
DOCKER_TEST_ROOTFS_TAR=$T/rootfs.tar
DOCKER_TEST_SWARM_LISTEN_ADDR=127.0.0.1:$swarm_port
DOCKER_TEST_DAEMON_PID=$pid
DOCKER_TEST_API_VERSION=$api
DOCKER_TEST_STORAGE_DRIVER=$driver
DOCKER_TEST_TMP=$T
EOF
    cat "$T/ssh.env" >>"$T/env"
    # Two local registries (htpasswd and open) for push, pull, login and plugins.
    local reg_port reg_open_port
    reg_port=$(free_port "$port" "$swarm_port" "$ssh_port")
    reg_open_port=$(free_port "$port" "$swarm_port" "$ssh_port" "$reg_port")
    "$SCRIPT_DIR/registry.sh" start "$T" "$reg_port" "$reg_open_port" >>"$T/env" ||
        { cmd_stop_inner; die "the registries did not start"; }
    # The rootfs of a managed plugin (busybox and a static program serving its socket).
    "$SCRIPT_DIR/plugin.sh" build "$T/plugin" >>"$T/env" || { cmd_stop_inner; die "no plugin rootfs"; }
    # A second dockerd for the two-node swarm tests.
    local node2_port
    node2_port=$(free_port "$port" "$swarm_port" "$ssh_port" "$reg_port" "$reg_open_port")
    DOCKER_TEST_STORAGE_DRIVER=$driver "$SCRIPT_DIR/swarm.sh" start "$T" "$node2_port" >>"$T/env" ||
        { cmd_stop_inner; die "the second dockerd did not start"; }
    # Podman's Docker-compatible service, the second server implementation (after the env
    # file: it trusts the registries listed there).
    "$SCRIPT_DIR/podman.sh" start "$T" >>"$T/env" || { cmd_stop_inner; die "podman did not start"; }
    log "dockerd pid $pid (API $api, $driver) up in $((SECONDS - t0))s; log $T/dockerd.log"
    echo "export DOCKER_TEST_ENV_FILE=$T/env"
    sed 's/^/export /' "$T/env"
}

# ---------------------------------------------------------------------------------------------
# stop

pids_under() { # daemon processes whose command line mentions $T (dockerd, containerd, shims)
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        case "${exe##*/}" in dockerd | containerd | containerd-shim* | runc | docker-proxy | docker-init | sshd | docker-registry | podman | conmon) ;; *) continue ;; esac
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$T/" && echo "${p#/proc/}"
    done
    return 0
}

alive() { # running and not a zombie (an orphan stays a zombie until pid 1 reaps it)
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

kill_wait() { # signal pids, wait up to $1 tenths of a second for them to go
    local tenths=$1 sig=$2
    shift 2
    [ $# -eq 0 ] && return 0
    kill "-$sig" "$@" 2>/dev/null || true
    local i p any
    for i in $(seq 1 "$tenths"); do
        any=0
        for p in "$@"; do alive "$p" && any=1; done
        [ $any = 0 ] && return 0
        sleep 0.1
    done
    return 1
}

container_cgroups() { # cgroup folders of this daemon's containers (cgroupfs driver, v1 or v2)
    local id
    [ -d "$T/data/containers" ] || return 0
    for id in $(ls "$T/data/containers" 2>/dev/null); do
        case "$id" in *[!0-9a-f]* | "") continue ;; esac
        ls -d /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id" 2>/dev/null || true
    done
}

kill_containers() { # whatever still runs in our containers' cgroups, when dockerd could not stop it
    local cg pids=""
    for cg in $(container_cgroups); do
        pids="$pids $(cat "$cg/cgroup.procs" 2>/dev/null | tr '\n' ' ')"
    done
    # shellcheck disable=SC2086
    [ -n "${pids// /}" ] && { kill_wait 30 KILL $pids || true; }
    for cg in $(container_cgroups); do
        rmdir "$cg" 2>/dev/null || true
    done
}

unmount_under() {
    local m
    # deepest first; mountinfo field 5 is the mount point
    for m in $(awk -v t="$T" '$5 == t || index($5, t "/") == 1 {print $5}' /proc/self/mountinfo | sort -r); do
        umount "$m" 2>/dev/null || umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if awk -v t="$T" '$5 == t || index($5, t "/") == 1 {f=1} END {exit !f}' /proc/self/mountinfo; then
        log "warning: mounts left under $T:"
        awk -v t="$T" '$5 == t || index($5, t "/") == 1 {print "  " $5}' /proc/self/mountinfo >&2
        return 1
    fi
}

cmd_stop_inner() { # uses $T; $1 = keep-dir to keep the folder (restart with another driver)
    [ -n "${T:-}" ] && [ -d "$T" ] || return 0
    case "$T" in /tmp/dockerd-test.*) ;; *) die "refusing to stop/remove $T" ;; esac
    # The sshd of the ssh:// tests and its sessions first: they hold connections to the daemon.
    "$SCRIPT_DIR/sshd.sh" stop "$T" || true
    "$SCRIPT_DIR/registry.sh" stop "$T" || true
    "$SCRIPT_DIR/swarm.sh" stop "$T" || true
    "$SCRIPT_DIR/podman.sh" stop "$T" || true
    if [ -S "$T/docker.sock" ] && curl -s --max-time 2 --unix-socket "$T/docker.sock" http://localhost/_ping >/dev/null 2>&1; then
        # leave swarm (a manager would otherwise keep raft state and listeners)
        if dcurl http://localhost/info 2>/dev/null | grep -q '"LocalNodeState":"\(active\|pending\|error\|locked\)"'; then
            dcurl -X POST 'http://localhost/swarm/leave?force=1' >/dev/null 2>&1 || true
        fi
        local id
        for id in $(dcurl 'http://localhost/containers/json?all=1' 2>/dev/null | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
            dcurl -X DELETE "http://localhost/containers/$id?force=1&v=1" >/dev/null 2>&1 || true
        done
    fi
    local pid=""
    [ -f "$T/dockerd.pid" ] && pid=$(cat "$T/dockerd.pid" 2>/dev/null || true)
    [ -z "$pid" ] && [ -f "$T/dockerd.launch-pid" ] && pid=$(cat "$T/dockerd.launch-pid" 2>/dev/null || true)
    if [ -n "$pid" ] && alive "$pid" &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$T/"; then
        kill_wait 150 TERM "$pid" || kill_wait 30 KILL "$pid" || true
    fi
    # Container processes (only left when dockerd died or hung), then anything still running
    # with our folder in its command line (containerd, containerd-shim-runc-v2): TERM, KILL.
    kill_containers
    local left
    left=$(pids_under)
    if [ -n "$left" ]; then
        # shellcheck disable=SC2086
        kill_wait 50 TERM $left || kill_wait 30 KILL $(pids_under) || true
    fi
    kill_containers
    unmount_under || true
    if [ "${1:-}" = keep-dir ]; then
        rm -rf "$T/data" "$T/exec" "$T/docker.sock" "$T/dockerd.pid"
        mkdir -p "$T/data" "$T/exec"
    else
        rm -rf "$T" 2>/dev/null || { sleep 0.5; unmount_under || true; rm -rf "$T"; }
        [ "$(cat "$LAST_FILE" 2>/dev/null)" = "$T" ] && rm -f "$LAST_FILE"
    fi
    return 0
}

cmd_stop() {
    T=${1:-${DOCKER_TEST_TMP:-$(cat "$LAST_FILE" 2>/dev/null || true)}}
    if [ -z "$T" ]; then
        log "nothing to stop"
        return 0
    fi
    T=${T%/}
    [ -d "$T" ] || { log "$T is already gone"; return 0; }
    cmd_stop_inner
    log "stopped and removed $T"
}

cmd_status() {
    T=${1:-${DOCKER_TEST_TMP:-$(cat "$LAST_FILE" 2>/dev/null || true)}}
    [ -n "$T" ] && [ -S "$T/docker.sock" ] || { echo "not running"; return 1; }
    [ "$(curl -s --max-time 2 --unix-socket "$T/docker.sock" http://localhost/_ping)" = OK ] ||
        { echo "not answering: $T"; return 1; }
    echo "running: $T"
}

net_links() { ls /sys/class/net 2>/dev/null | sort; }

verify_clean() { # after a stop: nothing of the daemon may be left (uses $T, $DAEMON_PID, $LINKS_BEFORE)
    local ok=0 left new_links
    if [ -n "${DAEMON_PID:-}" ] && alive "$DAEMON_PID"; then
        log "error: dockerd (pid $DAEMON_PID) is still running"; ok=1
    fi
    left=$(pids_under)
    [ -z "$left" ] || { log "error: processes left behind: $left"; ok=1; }
    if awk -v t="$T" '$5 == t || index($5, t "/") == 1 {f=1} END {exit !f}' /proc/self/mountinfo; then
        log "error: mounts left under $T"; ok=1
    fi
    [ ! -e "$T" ] || { log "error: $T was not removed"; ok=1; }
    new_links=$(comm -13 <(echo "$LINKS_BEFORE") <(net_links))
    [ -z "$new_links" ] || { log "error: network links left behind: $new_links"; ok=1; }
    [ $ok = 0 ] && log "verified: daemon pid ${DAEMON_PID:-?} gone, no process, mount, network link or folder left"
    return $ok
}

remove_new_links() { # links the daemon made during this run and left: swarm's docker_gwbridge, br-<id>, veth
    local link
    for link in $(comm -13 <(echo "$LINKS_BEFORE") <(net_links)); do
        case "$link" in
        docker_gwbridge | br-* | veth*) ip link delete "$link" 2>/dev/null && log "removed network link $link" ;;
        esac
    done
    return 0
}

finish_run() { # EXIT trap of `run`: stop, verify, and fail the run if anything was left behind
    local rc=$?
    cmd_stop_inner
    log "stopped and removed $T"
    # dockerd does not delete swarm's docker_gwbridge on leave or exit
    remove_new_links
    verify_clean || { [ $rc -ne 0 ] || rc=1; }
    exit $rc
}

cmd_run() {
    [ "${1:-}" = -- ] && shift
    [ $# -gt 0 ] || die "usage: daemon.sh run -- CMD..."
    local exports
    LINKS_BEFORE=$(net_links)
    exports=$(cmd_start)
    # from here on, always stop (T is set by cmd_start, but it ran in a subshell)
    T=$(sed -n 's/^export DOCKER_TEST_TMP=//p' <<<"$exports")
    DAEMON_PID=$(sed -n 's/^export DOCKER_TEST_DAEMON_PID=//p' <<<"$exports")
    if [ "${DOCKER_TEST_KEEP:-0}" = 1 ]; then
        trap 'log "left running; stop with: $0 stop $T"' EXIT
    else
        trap finish_run EXIT
    fi
    trap 'exit 130' INT
    trap 'exit 143' TERM
    eval "$exports"
    local rc=0
    "$@" || rc=$?
    exit $rc
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
run) shift; cmd_run "$@" ;;
status) shift; cmd_status "$@" ;;
*)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
