#!/usr/bin/env bash
# Two local distribution registries on 127.0.0.1 for the push/pull/login tests (called by
# daemon.sh; see DESIGN.md, "Real servers"). Debian's `docker-registry` (distribution 2.8).
#
#   registry.sh start TMP AUTH_PORT OPEN_PORT
#       starts, each with its own config and storage under TMP/registry/:
#         auth  on 127.0.0.1:AUTH_PORT, htpasswd authentication (bcrypt), a random password;
#         open  on 127.0.0.1:OPEN_PORT, no authentication (for the operations whose requests
#               the spec gives no X-Registry-Auth: DistributionInspect, plugin push/privileges).
#       Plain HTTP: dockerd treats registries on 127.0.0.0/8 as insecure ones by default.
#       Prints KEY=VALUE lines:
#         DOCKER_TEST_REGISTRY            127.0.0.1:AUTH_PORT
#         DOCKER_TEST_REGISTRY_USER       the user
#         DOCKER_TEST_REGISTRY_PASSWORD   its password (never logged; tests check it never shows)
#         DOCKER_TEST_REGISTRY_OPEN       127.0.0.1:OPEN_PORT
#         DOCKER_TEST_REGISTRY_LOG        the htpasswd registry's log file
#         DOCKER_TEST_REGISTRY_OPEN_LOG   the open registry's log file
#   registry.sh stop TMP    stops both (by pid, checked to be ours), removes TMP/registry.
#                           Idempotent.
#
# Needs Debian's docker-registry and apache2-utils (htpasswd); daemon.sh installs them.
set -euo pipefail

log() { echo "registry.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

write_config() { # dir port [htpasswd]
    local d=$1 port=$2 auth=""
    [ $# -ge 3 ] && auth="auth:
  htpasswd:
    realm: docker-test
    path: $3"
    cat >"$d/config.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
  fields:
    service: registry-$(basename "$d")
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: $(openssl rand -hex 16)
$auth
EOF
}

start_one() { # dir port
    local d=$1 port=$2 i
    setsid /usr/bin/docker-registry serve "$d/config.yml" </dev/null >"$d/registry.log" 2>&1 &
    echo $! >"$d/registry.pid"
    for i in $(seq 1 100); do
        # /v2/ answers 200 (open) or 401 (auth) once it listens
        case "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/v2/" 2>/dev/null)" in
        200 | 401) return 0 ;;
        esac
        kill -0 "$(cat "$d/registry.pid")" 2>/dev/null || break
        sleep 0.1
    done
    tail -n 20 "$d/registry.log" >&2
    return 1
}

cmd_start() {
    local t=$1 auth_port=$2 open_port=$3 r
    r=$t/registry
    [ -x /usr/bin/docker-registry ] || die "/usr/bin/docker-registry not found (docker-registry)"
    command -v htpasswd >/dev/null || die "htpasswd not found (apache2-utils)"
    mkdir -p "$r/auth/data" "$r/open/data"
    chmod 700 "$r"
    local user=suite password
    password=$(openssl rand -hex 16)
    # -B: bcrypt, the only hash distribution's htpasswd accepts; -i: password from stdin,
    # never on a command line.
    printf '%s\n' "$password" | htpasswd -iBc "$r/auth/htpasswd" "$user" 2>/dev/null ||
        die "htpasswd failed"
    write_config "$r/auth" "$auth_port" "$r/auth/htpasswd"
    write_config "$r/open" "$open_port"
    start_one "$r/auth" "$auth_port" || { cmd_stop "$t"; die "registry (auth) did not answer on 127.0.0.1:$auth_port"; }
    start_one "$r/open" "$open_port" || { cmd_stop "$t"; die "registry (open) did not answer on 127.0.0.1:$open_port"; }
    echo "DOCKER_TEST_REGISTRY=127.0.0.1:$auth_port"
    echo "DOCKER_TEST_REGISTRY_USER=$user"
    echo "DOCKER_TEST_REGISTRY_PASSWORD=$password"
    echo "DOCKER_TEST_REGISTRY_OPEN=127.0.0.1:$open_port"
    echo "DOCKER_TEST_REGISTRY_LOG=$r/auth/registry.log"
    echo "DOCKER_TEST_REGISTRY_OPEN_LOG=$r/open/registry.log"
    log "registries on 127.0.0.1:$auth_port (htpasswd) and 127.0.0.1:$open_port (open)"
}

ours() { # pid $1 runs docker-registry with config $2
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

cmd_stop() {
    local t=$1 r d pid i
    r=$t/registry
    [ -d "$r" ] || return 0
    for d in "$r/auth" "$r/open"; do
        [ -f "$d/registry.pid" ] || continue
        pid=$(cat "$d/registry.pid" 2>/dev/null || true)
        [ -n "$pid" ] && ours "$pid" "$d/config.yml" || continue
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do
            ours "$pid" "$d/config.yml" || break
            sleep 0.1
        done
        ours "$pid" "$d/config.yml" && kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$r"
}

case "${1:-}" in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
*)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
