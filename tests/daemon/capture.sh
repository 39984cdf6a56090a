#!/usr/bin/env bash
# Capture real daemon responses as fixtures for tests/tests/real_responses.rs.
#
#   tests/daemon/daemon.sh run -- tests/daemon/capture.sh [OUT_DIR]
#
# Needs a daemon started by daemon.sh (reads DOCKER_TEST_* from the environment), curl and
# python3 (to pretty-print without losing integer precision). Writes
# OUT_DIR/<OperationId>[.<variant>].json for one-document responses and
# OUT_DIR/<OperationId>[.<variant>].ndjson for streams (default OUT_DIR:
# tests/daemon/responses/v<API version>). Only the unix socket and 127.0.0.1 are used; every
# container runs with network mode `none`; swarm listens and advertises on 127.0.0.1 only.
set -euo pipefail

: "${DOCKER_TEST_SOCKET:?run under daemon.sh (DOCKER_TEST_SOCKET is not set)}"
V=${DOCKER_TEST_API_VERSION:-1.41}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/responses/v$V}
mkdir -p "$OUT"
T=$DOCKER_TEST_TMP
WORK=$T/capture
mkdir -p "$WORK"

log() { echo "capture: $*" >&2; }

# api METHOD PATH [curl args...]  -> body on stdout; fails on a non-2xx status
api() {
    local method=$1 path=$2
    shift 2
    local code
    code=$(curl -sS --max-time 120 --unix-socket "$DOCKER_TEST_SOCKET" -X "$method" \
        -o "$WORK/body" -w '%{http_code}' "$@" "http://localhost/v$V$path")
    if [ "${code:0:1}" != 2 ]; then
        log "$method $path -> $code: $(head -c 500 "$WORK/body")"
        return 1
    fi
    cat "$WORK/body"
}
json() { # METHOD PATH BODY
    api "$1" "$2" -H 'Content-Type: application/json' --data-binary "$3"
}

# Scrub what is host- or run-specific and not worth committing; keep the JSON shape exactly.
SCRUB_PY='
import json, sys, re
tmp = sys.argv[1]
mode = sys.argv[2]
def scrub(v):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k in ("HttpProxy", "HttpsProxy", "NoProxy") and isinstance(x, str) and x:
                x = "<scrubbed>"
            out[k] = scrub(x)
        return out
    if isinstance(v, list):
        return [scrub(x) for x in v]
    if isinstance(v, str):
        return v.replace(tmp, "/tmp/dockerd-test.XXXX")
    return v
text = sys.stdin.read()
if mode == "json":
    print(json.dumps(scrub(json.loads(text)), indent=2, ensure_ascii=False))
else:
    for line in text.splitlines():
        if line.strip():
            print(json.dumps(scrub(json.loads(line)), ensure_ascii=False, separators=(",", ":")))
'
save() { # OP[.variant]  (stdin: one JSON document)
    python3 -c "$SCRUB_PY" "$T" json >"$OUT/$1.json"
    log "saved $1.json"
}
save_stream() { # OP[.variant]  (stdin: newline-separated JSON documents)
    python3 -c "$SCRUB_PY" "$T" ndjson >"$OUT/$1.ndjson"
    log "saved $1.ndjson ($(wc -l <"$OUT/$1.ndjson") items)"
}
field() { # KEY (stdin: JSON object) -> string value
    python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

SINCE=$(date +%s)

# --- system -----------------------------------------------------------------------------------
api GET /version | save SystemVersion
api GET /info | save SystemInfo
api GET /plugins | save PluginList

# --- images -----------------------------------------------------------------------------------
api POST "/images/create?fromSrc=-&repo=busybox-test&tag=latest" \
    -H 'Content-Type: application/x-tar' --data-binary "@$DOCKER_TEST_ROOTFS_TAR" | save_stream ImageCreate
api POST "/images/busybox-test:latest/tag?repo=busybox-test&tag=second" >/dev/null
api GET /images/json | save ImageList
api GET "/images/json?all=1&digests=1" | save ImageList.all
api GET /images/busybox-test:latest/json | save ImageInspect
api GET /images/busybox-test:latest/history | save ImageHistory

# build (classic builder) from a tar context
mkdir -p "$WORK/ctx"
cat >"$WORK/ctx/Dockerfile" <<'EOF'
FROM busybox-test
LABEL org.example.test=yes
ENV GREETING=hello
COPY hello.txt /hello.txt
RUN echo built > /built.txt
HEALTHCHECK --interval=5s CMD ["true"]
EXPOSE 8080/tcp
VOLUME /data
WORKDIR /work
USER root
ENTRYPOINT ["sh", "-c"]
CMD ["cat /hello.txt"]
EOF
echo hello >"$WORK/ctx/hello.txt"
tar -C "$WORK/ctx" -cf "$WORK/ctx.tar" .
api POST "/build?t=built-test:latest&rm=1&forcerm=1&networkmode=none&labels=%7B%22built%22%3A%22yes%22%7D" \
    -H 'Content-Type: application/x-tar' --data-binary "@$WORK/ctx.tar" | save_stream ImageBuild
api GET /images/built-test:latest/json | save ImageInspect.built
api GET /images/built-test:latest/history | save ImageHistory.built
# a failing build: the error travels inside the 200 stream
printf 'FROM busybox-test\nRUN exit 3\n' >"$WORK/ctx/Dockerfile"
tar -C "$WORK/ctx" -cf "$WORK/ctx-fail.tar" .
api POST "/build?t=fail-test:latest&rm=1&forcerm=1&networkmode=none" \
    -H 'Content-Type: application/x-tar' --data-binary "@$WORK/ctx-fail.tar" | save_stream ImageBuild.error

# save + load
api GET "/images/get?names=busybox-test:latest" >"$WORK/images.tar"
api POST "/images/load?quiet=0" -H 'Content-Type: application/x-tar' --data-binary "@$WORK/images.tar" |
    save_stream ImageLoad

# --- plugins: created from a local tar (config.json + rootfs/), never enabled ------------------
mkdir -p "$WORK/plugin/rootfs"
tar -C "$WORK/plugin/rootfs" -xf "$DOCKER_TEST_ROOTFS_TAR"
cat >"$WORK/plugin/config.json" <<'EOF'
{
  "Description": "test volume plugin",
  "Documentation": "none",
  "Entrypoint": ["/bin/sleep", "1000"],
  "WorkDir": "/",
  "Interface": {"Types": ["docker.volumedriver/1.0"], "Socket": "plugin.sock"},
  "Network": {"Type": "none"},
  "Linux": {"Capabilities": ["CAP_SYS_ADMIN"], "AllowAllDevices": false, "Devices": null},
  "Mounts": [{"Name": "state", "Description": "", "Settable": null, "Source": "/tmp", "Destination": "/state", "Type": "bind", "Options": ["rbind"]}],
  "PropagatedMount": "",
  "Env": [{"Name": "DEBUG", "Description": "debug", "Settable": ["value"], "Value": "0"}],
  "Args": {"Name": "args", "Description": "", "Settable": ["value"], "Value": []}
}
EOF
tar -C "$WORK/plugin" -cf "$WORK/plugin.tar" .
if api POST "/plugins/create?name=plugin-test:latest" -H 'Content-Type: application/x-tar' \
    --data-binary "@$WORK/plugin.tar" >/dev/null; then
    api GET /plugins | save PluginList.one
    api GET /plugins/plugin-test:latest/json | save PluginInspect
    # The spec types the 200 as Plugin; 20.10 answers 200 with an empty body.
    api DELETE "/plugins/plugin-test:latest?force=1" >"$WORK/plugin-delete"
    if [ -s "$WORK/plugin-delete" ]; then
        save PluginDelete <"$WORK/plugin-delete"
    else
        log "PluginDelete: 200 with an empty body (the spec says a Plugin)"
    fi
else
    log "plugin create failed (skipped)"
fi
rm -rf "$WORK/plugin" "$WORK/plugin.tar"

# --- volumes ----------------------------------------------------------------------------------
json POST /volumes/create '{"Name":"vol-test","Labels":{"a":"b"},"DriverOpts":{}}' | save VolumeCreate
api GET /volumes | save VolumeList
api GET /volumes/vol-test | save VolumeInspect

# --- networks (no container is ever connected to anything but `none`) --------------------------
api GET /networks | save NetworkList
api GET /networks/none | save NetworkInspect
api GET /networks/host | save NetworkInspect.host
# An internal bridge with no containers: nothing can leave it.
if json POST /networks/create '{"Name":"net-test","Driver":"bridge","Internal":true,"CheckDuplicate":true,"Labels":{"a":"b"},"IPAM":{"Driver":"default","Config":[{"Subnet":"10.231.0.0/24"}]}}' >"$WORK/net.json"; then
    save NetworkCreate <"$WORK/net.json"
    api GET /networks/net-test | save NetworkInspect.bridge
    api DELETE /networks/net-test >/dev/null
else
    log "network create failed (skipped)"
fi

# --- containers ---------------------------------------------------------------------------------
CREATE='{
  "Image": "busybox-test",
  "Cmd": ["sh", "-c", "echo started; echo err >&2; mkdir -p /work && echo x > /work/file; rm -f /etc/group; while true; do sleep 1; done"],
  "Labels": {"test": "yes"},
  "Env": ["A=1"],
  "WorkingDir": "/",
  "StopSignal": "SIGTERM",
  "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000, "Timeout": 1000000000, "Retries": 3},
  "ExposedPorts": {"8080/tcp": {}},
  "Volumes": {"/anon": {}},
  "HostConfig": {
    "NetworkMode": "none",
    "Binds": ["vol-test:/vol"],
    "Tmpfs": {"/run": "size=1m"},
    "Mounts": [{"Type": "volume", "Target": "/vol2", "Source": "vol-test2", "VolumeOptions": {"Labels": {"x": "y"}}}],
    "RestartPolicy": {"Name": "no"},
    "Memory": 67108864,
    "PidsLimit": 100,
    "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
    "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m"}},
    "Init": false
  }
}'
json POST "/containers/create?name=ctr-test" "$CREATE" | save ContainerCreate
api GET /containers/ctr-test/json | save ContainerInspect.created
api POST /containers/ctr-test/start >/dev/null
sleep 3
api GET /containers/ctr-test/json | save ContainerInspect
api GET /containers/ctr-test/top | save ContainerTop
api GET "/containers/ctr-test/top?ps_args=aux" | save ContainerTop.aux
api GET /containers/ctr-test/changes | save ContainerChanges
api GET "/containers/ctr-test/stats?stream=false" | save ContainerStats
api GET "/containers/ctr-test/stats?stream=false&one-shot=true" | save ContainerStats.oneshot
# a stream: take the first two documents
curl -sS --max-time 4 --unix-socket "$DOCKER_TEST_SOCKET" "http://localhost/v$V/containers/ctr-test/stats?stream=true" \
    >"$WORK/stats.ndjson" 2>/dev/null || true
head -n 2 "$WORK/stats.ndjson" | save_stream ContainerStats
json POST /containers/ctr-test/update '{"CpuShares": 512, "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2}}' |
    save ContainerUpdate
json POST /containers/ctr-test/exec '{"Cmd": ["sh", "-c", "echo exec"], "AttachStdout": true, "AttachStderr": true, "Env": ["B=2"]}' \
    >"$WORK/exec.json"
save ContainerExec <"$WORK/exec.json"
EXEC=$(field Id <"$WORK/exec.json")
api GET "/exec/$EXEC/json" | save ExecInspect.created
json POST "/exec/$EXEC/start" '{"Detach": false, "Tty": false}' >/dev/null
api GET "/exec/$EXEC/json" | save ExecInspect
api POST /containers/ctr-test/pause >/dev/null
api GET /containers/ctr-test/json | save ContainerInspect.paused
api GET "/containers/json?all=1&size=1" | save ContainerList.paused
api POST /containers/ctr-test/unpause >/dev/null
json POST "/commit?container=ctr-test&repo=committed-test&tag=latest&comment=c&pause=true" \
    '{"Labels": {"committed": "yes"}}' | save ImageCommit
api POST "/containers/ctr-test/stop?t=1" >/dev/null
api POST "/containers/ctr-test/wait" | save ContainerWait.stopped
api GET /containers/ctr-test/json | save ContainerInspect.exited
api GET "/containers/ctr-test/stats?stream=false" | save ContainerStats.stopped

json POST "/containers/create?name=ctr-echo" '{"Image":"busybox-test","Cmd":["sh","-c","echo hi; exit 3"],"HostConfig":{"NetworkMode":"none","AutoRemove":false}}' >/dev/null
api POST /containers/ctr-echo/start >/dev/null
api POST "/containers/ctr-echo/wait?condition=not-running" | save ContainerWait
json POST "/containers/create?name=ctr-built" '{"Image":"built-test","HostConfig":{"NetworkMode":"none"}}' >/dev/null
api GET /containers/ctr-built/json | save ContainerInspect.built
api GET "/containers/json?all=1" | save ContainerList
api GET "/containers/json?all=1&size=1&filters=%7B%22label%22%3A%5B%22test%3Dyes%22%5D%7D" | save ContainerList.filtered

api GET /system/df | save SystemDataUsage

# --- swarm --------------------------------------------------------------------------------------
SWARM_LISTEN=${DOCKER_TEST_SWARM_LISTEN_ADDR:-127.0.0.1:2377}
json POST /swarm/init "{\"ListenAddr\":\"$SWARM_LISTEN\",\"AdvertiseAddr\":\"127.0.0.1\",\"DataPathAddr\":\"127.0.0.1\",\"ForceNewCluster\":false,\"Spec\":{\"Name\":\"default\",\"Labels\":{\"a\":\"b\"}}}" |
    save SwarmInit
api GET /swarm | save SwarmInspect
api GET /info | save SystemInfo.swarm
api GET /swarm/unlockkey | save SwarmUnlockkey
api GET /nodes | save NodeList
NODE=$(api GET /info | python3 -c 'import json,sys; print(json.load(sys.stdin)["Swarm"]["NodeID"])')
api GET "/nodes/$NODE" | save NodeInspect

json POST /secrets/create '{"Name":"secret-test","Labels":{"a":"b"},"Data":"c2VjcmV0"}' >"$WORK/secret.json"
save SecretCreate <"$WORK/secret.json"
SECRET=$(field ID <"$WORK/secret.json")
api GET /secrets | save SecretList
api GET "/secrets/$SECRET" | save SecretInspect
json POST /configs/create '{"Name":"config-test","Labels":{"a":"b"},"Data":"Y29uZmln"}' >"$WORK/config.json"
save ConfigCreate <"$WORK/config.json"
CONFIG=$(field ID <"$WORK/config.json")
api GET /configs | save ConfigList
api GET "/configs/$CONFIG" | save ConfigInspect

SERVICE_BODY='{
  "Name": "svc-test",
  "Labels": {"a": "b"},
  "TaskTemplate": {
    "ContainerSpec": {
      "Image": "busybox-test:latest",
      "Command": ["sleep", "1000"],
      "Env": ["A=1"],
      "Secrets": [{"SecretName": "secret-test", "SecretID": "'"$SECRET"'", "File": {"Name": "s", "UID": "0", "GID": "0", "Mode": 292}}],
      "Configs": [{"ConfigName": "config-test", "ConfigID": "'"$CONFIG"'", "File": {"Name": "/c", "UID": "0", "GID": "0", "Mode": 292}}]
    },
    "RestartPolicy": {"Condition": "none"},
    "Resources": {"Limits": {"MemoryBytes": 67108864}}
  },
  "Mode": {"Replicated": {"Replicas": 0}},
  "UpdateConfig": {"Parallelism": 1, "FailureAction": "pause"},
  "EndpointSpec": {"Mode": "vip"}
}'
json POST /services/create "$SERVICE_BODY" >"$WORK/service.json"
save ServiceCreate <"$WORK/service.json"
SERVICE=$(field ID <"$WORK/service.json")
api GET /services | save ServiceList
api GET "/services/$SERVICE?insertDefaults=true" | save ServiceInspect
VERSION=$(api GET "/services/$SERVICE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Version"]["Index"])')
# Swarm cannot attach a service to `none` (no such swarm network), so its tasks never run:
# one replica with a placement constraint no node meets gives a real, pending task without
# ever starting a container.
UPDATED=$(python3 -c '
import json,sys
b=json.loads(sys.argv[1])
b["Mode"]["Replicated"]["Replicas"]=1
b["TaskTemplate"]["Placement"]={"Constraints":["node.labels.never==true"]}
print(json.dumps(b))' "$SERVICE_BODY")
json POST "/services/$SERVICE/update?version=$VERSION" "$UPDATED" | save ServiceUpdate
for i in $(seq 1 30); do
    api GET /tasks | grep -q '"State":"pending"' && break
    sleep 0.5
done
api GET /services/"$SERVICE" | save ServiceInspect.updated
api GET /tasks | save TaskList
TASK=$(api GET /tasks | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ID"])')
api GET "/tasks/$TASK" | save TaskInspect
# the task must not have started a container
if api GET /containers/json?all=1 | grep -q '"com.docker.swarm.task.id"'; then
    log "error: a swarm task started a container"
    exit 1
fi
api GET /info | save SystemInfo.swarm-running
api DELETE "/services/$SERVICE" >/dev/null

# --- prune and delete ---------------------------------------------------------------------------
api DELETE "/containers/ctr-echo" >/dev/null
api POST /containers/prune | save ContainerPrune
api DELETE "/images/committed-test:latest" | save ImageDelete
api DELETE "/images/busybox-test:second" | save ImageDelete.untag
api POST "/images/prune?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D" | save ImagePrune
api POST /build/prune | save BuildPrune
api POST /volumes/prune | save VolumePrune
api POST /networks/prune | save NetworkPrune

UNTIL=$(($(date +%s) + 1))
sleep 1
api GET "/events?since=$SINCE&until=$UNTIL" | save_stream SystemEvents
log "done: $(ls "$OUT" | wc -l) files in $OUT"
