#!/usr/bin/env bash
# An sshd on 127.0.0.1 for the ssh:// tests (called by daemon.sh; see DESIGN.md, "Real servers").
#
#   sshd.sh start TMP PORT   start sshd in TMP/sshd on 127.0.0.1:PORT, as root, with its own host
#                            key, config and authorized_keys for a key made here; its sessions
#                            get DOCKER_HOST=unix://TMP/docker.sock, so `docker system
#                            dial-stdio` reaches the test daemon. Prints KEY=VALUE lines:
#                              DOCKER_TEST_SSH_HOST    ssh://root@127.0.0.1:PORT
#                              DOCKER_TEST_SSH_CONFIG  client config (key, known_hosts; never ~/.ssh)
#                              DOCKER_TEST_SSHD_PID    the listening sshd
#   sshd.sh stop TMP         stop that sshd and its sessions (by pid), remove TMP/sshd. Idempotent.
#
# Needs Debian's openssh-server and openssh-client (daemon.sh installs them).
set -euo pipefail

log() { echo "sshd.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

cmd_start() {
    local t=$1 port=$2 d
    d=$t/sshd
    [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd not found (openssh-server)"
    command -v ssh >/dev/null || die "ssh not found (openssh-client)"
    mkdir -p "$d"
    chmod 700 "$d"
    # sshd's privilege separation directory; made here only when missing, removed by stop.
    if [ ! -d /run/sshd ]; then
        mkdir -p /run/sshd && chmod 755 /run/sshd && touch "$d/made-run-sshd"
    fi
    ssh-keygen -q -t ed25519 -N '' -C docker-test-host -f "$d/host_key"
    ssh-keygen -q -t ed25519 -N '' -C docker-test-client -f "$d/client_key"
    cp "$d/client_key.pub" "$d/authorized_keys"
    cat >"$d/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
SetEnv DOCKER_HOST=unix://$t/docker.sock
LogLevel VERBOSE
EOF
    cat >"$d/ssh_config" <<EOF
Host *
    IdentityFile $d/client_key
    IdentitiesOnly yes
    IdentityAgent none
    UserKnownHostsFile $d/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking accept-new
    BatchMode yes
    LogLevel ERROR
EOF
    /usr/sbin/sshd -t -f "$d/sshd_config" || die "sshd rejects its configuration"
    /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" </dev/null
    local i
    for i in $(seq 1 50); do
        [ -s "$d/sshd.pid" ] && ssh -F "$d/ssh_config" -p "$port" root@127.0.0.1 true 2>/dev/null && break
        sleep 0.1
    done
    [ "$i" -lt 50 ] || { tail -n 20 "$d/sshd.log" >&2; cmd_stop "$t"; die "sshd did not accept the test key on 127.0.0.1:$port"; }
    echo "DOCKER_TEST_SSH_HOST=ssh://root@127.0.0.1:$port"
    echo "DOCKER_TEST_SSH_CONFIG=$d/ssh_config"
    echo "DOCKER_TEST_SSHD_PID=$(cat "$d/sshd.pid")"
    log "sshd pid $(cat "$d/sshd.pid") on 127.0.0.1:$port"
}

alive() { # running and not a zombie (a daemonized sshd is reaped by pid 1, maybe late)
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

other_sshd() { # some other sshd still runs (it may need /run/sshd)
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        [ "$exe" = /usr/sbin/sshd ] && alive "${p#/proc/}" && return 0
    done
    return 1
}

ours() { # pid $1 is an sshd whose command line names our config (the listener)
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2/sshd_config"
}

cmd_stop() {
    local t=$1 d pid kids p
    d=$t/sshd
    [ -d "$d" ] || return 0
    pid=$(cat "$d/sshd.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ours "$pid" "$d"; then
        # The sessions it forked (and their children), then the listener.
        kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
        for p in $kids; do
            kill -TERM $(ps -o pid= --ppid "$p" 2>/dev/null) "$p" 2>/dev/null || true
        done
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do
            alive "$pid" || break
            sleep 0.1
        done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null
    fi
    if [ -f "$d/made-run-sshd" ] && ! other_sshd; then
        rmdir /run/sshd 2>/dev/null || true
    fi
    rm -rf "$d"
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
*) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
