#!/usr/bin/env bash
# Measures the broker end to end: starts `qfed server` (on H2, or on a private PostgreSQL cluster), site agents as
# separate `qfed agent` processes with emulated backends, runs `qfed bench load` against them, prints its JSON
# report on standard output, and stops everything it started.
#
#   scripts/bench-broker.sh h2|postgresql [qfed bench load options, e.g. --jobs 5000 --concurrency 32 --rate 500]
#
# PostgreSQL comes from Debian's postgresql package (initdb and pg_ctl under /usr/lib/postgresql/VERSION/bin; as
# root the cluster runs as the postgres user). AGENTS (default 2) agent processes run, each offering BACKENDS
# (default 1) 5-qubit emulated backends that run up to SLOTS (default 16) jobs at once, polling with a 1 s wait
# (docs/performance.md says why); WARMUP (default 1000) jobs run first, unmeasured, in the same load generator
# process (its --warmup) and with the same options (rate, concurrency, …) as the measured run, so that every JVM,
# the client's included, has compiled its hot code and opened its connections. STATEMENTS=1 (PostgreSQL
# only) loads pg_stat_statements and prints the SQL statements, commits and WAL per completed job of the measured
# run, with the statements themselves in the temporary folder. BROKER_JAVA_OPTS,
# AGENT_JAVA_OPTS and LOADGEN_JAVA_OPTS (the load generator) add JVM flags (e.g. a flight recording);
# PG_OPTS adds server settings (e.g. "-c log_lock_waits=on -c deadlock_timeout=1ms").
# Progress, the processes' logs and the broker's /metrics before and after the measured run go to a temporary
# folder named on standard error; the last line on standard error is the broker's own view of the submits (the
# share within 5, 10, 25, … ms by its route timer), to set against the load generator's submit percentiles.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
engine="${1:-}"
case "$engine" in
    h2|postgresql) shift ;;
    *) echo "usage: $0 h2|postgresql [qfed bench load options]" >&2; exit 2 ;;
esac
agents="${AGENTS:-2}"
backends="${BACKENDS:-1}"
slots="${SLOTS:-16}"
work="$(mktemp -d /tmp/qfed-bench-XXXXXX)"
chmod 755 "$work"
echo "bench-broker: working in $work" >&2
. "$root/scripts/java-env.sh"
# Build the jar first (the launcher does it when sources changed), so that no process below builds it.
"$root/qfed" version >/dev/null
# The load generator is a short-lived client whose CPU comes out of the broker's two cores: C1 alone compiles its
# hot code at a fraction of C2's cost (most of its CPU in a 6,000-job run was JIT compilation).
loadgen_java=("$JAVA_HOME/bin/java" -XX:+UseParallelGC -XX:TieredStopAtLevel=1)

pids=()
pg_ctl=""
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "$pg_ctl" ]; then $pg_ctl stop -m fast >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port="$(free_port)"
url="http://127.0.0.1:$port"
db_yaml=""
if [ "$engine" = postgresql ]; then
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    [ -x "$bin/initdb" ] || { echo "bench-broker: no PostgreSQL; apt-get install postgresql" >&2; exit 2; }
    pg_port="$(free_port)"
    as_pg=()
    if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); install -d -o postgres "$work/pg"; else mkdir "$work/pg"; fi
    "${as_pg[@]}" "$bin/initdb" -D "$work/pg/data" -A trust -U postgres >"$work/initdb.log"
    pg_ctl="${as_pg[*]} $bin/pg_ctl -D $work/pg/data"
    pg_opts="-p $pg_port -k $work/pg -c max_connections=200 ${PG_OPTS:-}"
    [ "${STATEMENTS:-0}" = 1 ] && pg_opts="$pg_opts -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_utility=on"
    $pg_ctl -o "$pg_opts" -l "$work/pg/log" -w start >/dev/null
    "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc 'CREATE DATABASE qfed' >/dev/null
    db_yaml="db: {url: \"jdbc:postgresql://127.0.0.1:$pg_port/qfed\", user: postgres, pool_size: 32}"
    echo "bench-broker: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $pg_port" >&2
fi

cat >"$work/qfed.yaml" <<EOF
port: $port
data_dir: data
$db_yaml
dev_issuer: {enabled: true, members: [aurora, borealis, cygnus, dorado]}
EOF
"$JAVA_HOME/bin/java" -XX:+UseParallelGC ${BROKER_JAVA_OPTS:-} -jar "$root/qfed-cli/target/qfed.jar" \
    server --config "$work/qfed.yaml" >"$work/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "$url/health/ready" >/dev/null || { echo "bench-broker: the broker did not start; see $work/broker.log" >&2; exit 1; }

members=(aurora borealis cygnus dorado)
for i in $(seq "$agents"); do
    member="${members[$(( (i - 1) % ${#members[@]} ))]}"
    curl -fs -X POST "$url/dev/token" -H 'Content-Type: application/json' \
        -d "{\"member\": \"$member\", \"user\": \"agent-$i\", \"roles\": [\"AGENT\"]}" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])' >"$work/agent-$i.token"
    {
        echo "server: $url"
        echo "token_file: agent-$i.token"
        echo "name: bench-site-$i"
        echo "poll_wait: 1s"
        echo "backends:"
        for b in $(seq "$backends"); do
            echo "  - {name: bench-emu-$i-$b, type: emulator, max_concurrent: $slots, config: {device: low-noise-5, threads: 1}}"
        done
    } >"$work/site-$i.yaml"
    "$JAVA_HOME/bin/java" -XX:+UseParallelGC ${AGENT_JAVA_OPTS:-} -jar "$root/qfed-cli/target/qfed.jar" \
        agent --config "$work/site-$i.yaml" >"$work/agent-$i.log" 2>&1 &
    pids+=($!)
done
for _ in $(seq 300); do
    n="$(curl -fs "$url/v1/backends" -H "Authorization: Bearer $(cat "$work/agent-1.token")" 2>/dev/null \
        | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["backends"]))' 2>/dev/null || echo 0)"
    [ "$n" -ge $((agents * backends)) ] && break
    sleep 0.2
done
echo "bench-broker: broker on $url with $agents agents; running qfed bench load --warmup ${WARMUP:-1000} $*" >&2
# CPU seconds of each role over the measured run, from /proc (PostgreSQL: the postmaster and its children;
# a backend that ended during the run is not counted, so with the broker's pool that stays open nothing is lost).
cpu() {
    python3 - "$work" "${pids[@]}" <<'PY'
import os, sys
work, pids = sys.argv[1], sys.argv[2:]
tick = os.sysconf("SC_CLK_TCK")
def seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick
roles = {"broker": seconds(pids[0]), "agents": sum(seconds(p) for p in pids[1:])}
pg = 0.0
if os.path.exists(f"{work}/pg/data/postmaster.pid"):
    postmaster = open(f"{work}/pg/data/postmaster.pid").readline().strip()
    pg = seconds(postmaster)
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[1] == postmaster:
                        pg += seconds(p)
            except OSError:
                pass  # ended meanwhile
roles["postgresql"] = pg
print(" ".join(f"{k}={v:.2f}" for k, v in roles.items()))
PY
}
psql_qfed=()
if [ "$engine" = postgresql ] && [ "${STATEMENTS:-0}" = 1 ]; then
    psql_qfed=("$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d qfed -qAt)
    "${psql_qfed[@]}" -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
fi
# What the measured run is compared against, taken when the load generator says its warm-up is over (within
# ~0.1 s of the measured run's start).
snapshot() {
    if [ ${#psql_qfed[@]} -gt 0 ]; then
        "${psql_qfed[@]}" -c 'SELECT pg_stat_statements_reset()' >/dev/null
        "${psql_qfed[@]}" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'qfed'" >"$work/commits-before.txt"
        "${psql_qfed[@]}" -c "SELECT wal_bytes FROM pg_stat_wal" >"$work/wal-before.txt"
    fi
    curl -fs "$url/metrics" >"$work/metrics-before.txt" || true
    cut -d' ' -f1 /proc/loadavg >"$work/load-before.txt"
    cpu >"$work/cpu-before.txt"
}
# One load generator process warms everything up (its own JIT and connections included) with WARMUP jobs of the
# measured load's shape (rate, concurrency, …), then runs the measured load: the JVMs keep recompiling for a while
# after the load changes shape, and a fresh client's first few hundred submits are slow (docs/performance.md).
"${loadgen_java[@]}" ${LOADGEN_JAVA_OPTS:-} -jar "$root/qfed-cli/target/qfed.jar" bench load --server "$url" \
    --output json --warmup "${WARMUP:-1000}" "$@" 2> >(while IFS= read -r line; do
        echo "$line" >>"$work/loadgen.log"
        case "$line" in *"measured run started"*) snapshot; touch "$work/measuring" ;; esac
    done) | tee "$work/report.json"
for _ in $(seq 100); do [ -f "$work/measuring" ] && break; sleep 0.1; done
[ -f "$work/measuring" ] || { echo "bench-broker: the load generator never started its measured run; see $work/loadgen.log" >&2; exit 1; }
before="$(cat "$work/cpu-before.txt")"
start_load="$(cat "$work/load-before.txt")"
after="$(cpu)"
curl -fs "$url/metrics" >"$work/metrics-after.txt" || true
if [ ${#psql_qfed[@]} -gt 0 ]; then
    completed="$(python3 -c 'import json, sys; print(max(1, json.load(open(sys.argv[1]))["completed"]))' "$work/report.json")"
    commits_before="$(cat "$work/commits-before.txt")"
    wal_before="$(cat "$work/wal-before.txt")"
    commits_after="$("${psql_qfed[@]}" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'qfed'")"
    wal_after="$("${psql_qfed[@]}" -c "SELECT wal_bytes FROM pg_stat_wal")"
    # Utility statements (BEGIN, COMMIT, SET) are listed too; the per-job figure counts only the others.
    "${psql_qfed[@]}" -F ' | ' -c "SELECT calls, round((calls::numeric / $completed), 3), rows, round(total_exec_time::numeric, 1), query
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'qfed') ORDER BY calls DESC" \
        >"$work/statements.txt"
    "${psql_qfed[@]}" -c "SELECT 'bench-broker: SQL per completed job: ' || round(sum(calls)::numeric / $completed, 2)
        || ' statements (' || round(sum(total_exec_time)::numeric / $completed, 3) || ' ms executing), '
        || round(($commits_after - $commits_before)::numeric / $completed, 2) || ' commits, '
        || round(($wal_after - $wal_before)::numeric / $completed / 1024, 2) || ' KiB of WAL; by statement in $work/statements.txt'
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'qfed')
        AND query !~* '^(BEGIN|COMMIT|ROLLBACK|SET|SHOW|SAVEPOINT|RELEASE)'" >&2
fi
python3 - "$before" "$after" "$work/report.json" "$start_load" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY' >&2
import json, sys
before = dict(kv.split("=") for kv in sys.argv[1].split())
after = dict(kv.split("=") for kv in sys.argv[2].split())
report = json.load(open(sys.argv[3]))
jobs = max(1, report["completed"])
cpu = {k: (float(after[k]) - float(before[k])) * 1000 / jobs for k in before}
cpu["load generator"] = report["client_cpu_ms_per_job"]  # its own process CPU over the measured run
print("bench-broker: CPU ms per completed job: " + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items())
      + f" (total {sum(cpu.values()):.2f}); load average {sys.argv[4]} before, {sys.argv[5]} after")
PY
# The broker's own view of the measured submits (its route timer: from the handler's start to its end, so without
# the client's side, the network and Jetty's parsing and dispatch), from its histogram's buckets.
python3 - "$work/metrics-before.txt" "$work/metrics-after.txt" "$work/report.json" <<'PY' >&2 || true
import json, re, sys
def buckets(path):
    out = {}
    for line in open(path):
        m = re.match(r'qfed_http_server_requests_seconds_bucket\{(.*)\} (\S+)', line)
        if m and 'method="POST"' in m.group(1) and 'route="/v1/jobs"' in m.group(1) and 'status="201"' in m.group(1):
            le = re.search(r'le="([^"]+)"', m.group(1)).group(1)
            out[le] = out.get(le, 0) + float(m.group(2))
    return out
def allocated(path):
    return sum(float(l.split()[-1]) for l in open(path) if l.startswith("jvm_gc_memory_allocated_bytes_total"))
jobs = max(1, json.load(open(sys.argv[3]))["completed"])
print(f"bench-broker: broker allocated {(allocated(sys.argv[2]) - allocated(sys.argv[1])) / jobs / 1024:.0f} KiB "
      "per completed job (counted at each young collection)")
before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
total = after.get("+Inf", 0) - before.get("+Inf", 0)
if total > 0:
    shares = [(le, (after[le] - before.get(le, 0)) / total) for le in ("0.005", "0.01", "0.025", "0.05", "0.1")
              if le in after]
    print("bench-broker: broker-side POST /v1/jobs: " + ", ".join(f"{100 * s:.2f} % within {float(le) * 1000:g} ms"
                                                                  for le, s in shares))
PY
