#!/usr/bin/env bash
# A standalone Flink 1.19.0 session cluster on 127.0.0.1 from Maven Central artifacts (flink-dist is
# not in the mirror): one JobManager JVM and one or more TaskManager JVMs, started as Flink's own
# launchers do.
#
#   scripts/flink-cluster.sh start  [--dir=DIR] [--rest-port=P] [--rpc-port=P] [--slots=N] [--taskmanagers=N]
#                                   [--restart-attempts=N] [--restart-delay=S] [--timeout=S]
#   scripts/flink-cluster.sh status [--dir=DIR]
#   scripts/flink-cluster.sh stop   [--dir=DIR]
#
# DIR (default target/flink-cluster) holds conf/, log/, tmp/ and the PID files. Ports default to free
# ones below the kernel's ephemeral range, chosen again (up to three tries, each try's logs kept in
# log/try-N) when the JobManager finds one taken by the time it binds. `start` returns once the REST
# endpoint reports every TaskManager registered with all its slots
# free, and prints `rest=127.0.0.1:PORT` (also in DIR/rest-address). `stop` kills by recorded PID and
# fails unless every process is gone. TaskManager PIDs are in DIR/taskmanager.pid, taskmanager-2.pid, ...
# The conf restarts a failed job (a lost TaskManager) up to --restart-attempts times (default 10), --restart-delay
# seconds apart (default 10); cltbench sets the same in each job's own configuration, whatever the cluster's.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

cmd="${1:-}"
[ $# -gt 0 ] && shift
dir="$home/target/flink-cluster"
rest_port=""
rpc_port=""
lost_port=""
slots=2
taskmanagers=1
restart_attempts=10
restart_delay=10
timeout=120
for a in "$@"; do
  case "$a" in
    --dir=*) dir="${a#*=}" ;;
    --rest-port=*) rest_port="${a#*=}" ;;
    --rpc-port=*) rpc_port="${a#*=}" ;;
    --slots=*) slots="${a#*=}" ;;
    --taskmanagers=*) taskmanagers="${a#*=}" ;;
    --restart-attempts=*) restart_attempts="${a#*=}" ;;
    --restart-delay=*) restart_delay="${a#*=}" ;;
    --timeout=*) timeout="${a#*=}" ;;
    *) echo "flink-cluster: unknown option $a" >&2; exit 2 ;;
  esac
done
for v in "rest-port=$rest_port" "rpc-port=$rpc_port" "slots=$slots" "taskmanagers=$taskmanagers" \
    "restart-attempts=$restart_attempts" "restart-delay=$restart_delay" "timeout=$timeout"; do
  case "${v#*=}" in
    "") [[ "$v" == r*-port=* ]] || { echo "flink-cluster: --${v%%=*} needs a value" >&2; exit 2; } ;;
    *[!0-9]*) echo "flink-cluster: --${v%%=*} must be a whole number, was '${v#*=}'" >&2; exit 2 ;;
  esac
done
if [ -n "$rest_port$rpc_port" ]; then
  for p in $rest_port $rpc_port; do
    [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || { echo "flink-cluster: port $p is not in 1-65535" >&2; exit 2; }
  done
fi
[ "$slots" -ge 1 ] && [ "$taskmanagers" -ge 1 ] \
  || { echo "flink-cluster: --slots and --taskmanagers must be at least 1" >&2; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

log() { echo "flink-cluster: $*" >&2; }

# True when something accepts connections on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when any TCP socket of this machine (listening, connected or closing) holds local port $1:
# a JobManager cannot bind a port an outgoing connection holds, and `listening` misses those.
bound() {
  local port f address
  port="$(printf '%04X' "$1")"
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    # Fields: sl local_address rem_address ...; local_address is HEXIP:HEXPORT.
    while read -r _ address _; do
      [ "${address##*:}" = "$port" ] && return 0
    done <"$f"
  done
  return 1
}

# A free port below the kernel's ephemeral range, so that no outgoing connection (an emulator call,
# a Maven download) takes it between this check and the JobManager's bind.
free_port() {
  local p low=32768 high lo=20000
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt $((lo + 2000)) ] || lo=1024
  for _ in $(seq 1 200); do
    p=$((lo + RANDOM % (low - lo)))
    if ! listening "$p" && ! bound "$p"; then echo "$p"; return 0; fi
  done
  log "no free port found"; return 1
}

# GET a REST path with bash alone (no curl on a bare CI machine); prints the body.
rest_get() {
  local port="$1" path="$2" response
  response="$( (exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
    timeout 5 cat <&3) 2>/dev/null)" || return 1
  printf '%s' "${response#*$'\r\n\r\n'}"
}

# A recorded PID counts only while it is still a JVM of this cluster (PIDs get reused).
alive() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$dir/conf"
}

pid_of() { [ -f "$dir/$1.pid" ] && cat "$dir/$1.pid" || true; }

# The names of the recorded TaskManagers (taskmanager, taskmanager-2, ...), from their PID files.
taskmanager_names() {
  local f
  for f in "$dir"/taskmanager.pid "$dir"/taskmanager-*.pid; do
    [ -f "$f" ] && basename "$f" .pid
  done
  return 0
}

# The name of TaskManager number $1 (1-based).
taskmanager_name() { if [ "$1" = 1 ]; then echo taskmanager; else echo "taskmanager-$1"; fi; }

java_flags() {
  grep -v '^#' "$home/scripts/java17-flags.txt" | grep -v '^[[:space:]]*$' | tr '\n' ' '
}

# Flink's BashJavaUtils prints BASH_JAVA_UTILS_EXEC_RESULT lines: JVM arguments, then -D arguments.
resource_params() {
  local what="$1" out
  out="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$dir/conf" 2>"$dir/log/bash-java-utils.log")" \
    || { log "BashJavaUtils $what failed, see $dir/log/bash-java-utils.log"; exit 1; }
  printf '%s\n' "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# Gone: no such PID any more, or an exited process (zombie) its new parent has yet to reap.
gone() {
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 0
  state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)"
  [ -z "$state" ] || [ "$state" = Z ]
}

stop() {
  local failed=0 name pid names
  declare -A ours=()
  names="$(taskmanager_names) jobmanager"
  # Signal only PIDs that are still this cluster's JVMs (checked before any signal).
  for name in $names; do
    pid="$(pid_of "$name")"
    if alive "$pid"; then
      ours[$name]="$pid"
      kill "$pid" 2>/dev/null || true
    fi
  done
  for name in $names; do
    pid="${ours[$name]:-}"
    if [ -n "$pid" ]; then
      for _ in $(seq 1 60); do gone "$pid" && break; sleep 0.5; done
      if ! gone "$pid"; then
        log "$name ($pid) ignored SIGTERM; killing"
        kill -9 "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do gone "$pid" && break; sleep 0.5; done
      fi
      # Give the reaper a moment so that callers checking the PID see it gone.
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    if [ -n "$pid" ] && ! gone "$pid"; then
      log "$name ($pid) is still running"; failed=1
    else
      rm -f "$dir/$name.pid"
    fi
  done
  [ "$failed" = 0 ] && log "stopped"
  return "$failed"
}

start() {
  local n
  for n in jobmanager $(taskmanager_names); do
    if alive "$(pid_of "$n")"; then log "already running in $dir (stop it first)"; exit 1; fi
  done
  rm -f "$dir"/taskmanager-*.pid
  mkdir -p "$dir/conf" "$dir/log" "$dir/tmp"
  if [ ! -s "$dir/classpath.txt" ] || [ "$home/scripts/flink/pom.xml" -nt "$dir/classpath.txt" ]; then
    log "resolving the Flink classpath (scripts/flink/pom.xml)"
    mvn -B -q -f "$home/scripts/flink/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$dir/classpath.txt" >"$dir/log/maven.log" 2>&1 \
      || { log "mvn failed, see $dir/log/maven.log"; exit 1; }
  fi
  cp="$(cat "$dir/classpath.txt")"
  # Ports this script chose can be lost to another process between the check and the bind; then
  # the JobManager dies with a BindException and a second choice of ports starts the cluster.
  local chosen_rest="" chosen_rpc="" attempt rc
  [ -n "$rest_port" ] || chosen_rest=1
  [ -n "$rpc_port" ] || chosen_rpc=1
  for attempt in 1 2 3; do
    [ -z "$chosen_rest" ] || rest_port="$(free_port)"
    [ -z "$chosen_rpc" ] || rpc_port="$(free_port)"
    rc=0; launch || rc=$?
    [ "$rc" != 0 ] || return 0
    # Only a port this script chose is worth choosing again; a port the caller gave stays an error.
    local again=""
    if [ "$rc" = 75 ] && [ "$attempt" -lt 3 ]; then
      if [ -n "$chosen_rest" ] && [ "$lost_port" = "$rest_port" ]; then again=1; fi
      if [ -n "$chosen_rpc" ] && [ "$lost_port" = "$rpc_port" ]; then again=1; fi
    fi
    [ -n "$again" ] || exit 1
    log "port $lost_port was taken before the JobManager bound it; trying other ports" \
      "(logs of this try in $dir/log/try-$attempt)"
    mkdir -p "$dir/log/try-$attempt"
    mv "$dir"/log/jobmanager.* "$dir"/log/taskmanager*.* "$dir/log/try-$attempt/" 2>/dev/null || true
  done
}

# One start of the cluster's JVMs on $rest_port and $rpc_port: 0 once every slot is free, 75 when a
# process died of a port already bound (that port in $lost_port), 1 otherwise (the processes stopped).
launch() {
  for p in "$rest_port" "$rpc_port"; do
    if listening "$p"; then log "port $p is in use"; return 1; fi
  done
  # Every address bound to loopback; sizes small enough for a 2-core CI machine.
  cat >"$dir/conf/flink-conf.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 2560m
# The report now has more shuffles (clustered intervals, times, epochs) than the default network
# share (0.1, about 5,000 buffers) can serve at once: the job failed with too few network buffers.
taskmanager.memory.network.fraction: 0.2
taskmanager.memory.network.min: 256m
taskmanager.memory.network.max: 512m
taskmanager.numberOfTaskSlots: $slots
parallelism.default: $slots
io.tmp.dirs: $dir/tmp
classloader.check-leaked-classloader: false
# A job that loses a TaskManager restarts (its tasks' finished calls are in the response cache) instead
# of failing: Flink 1.19 without checkpointing defaults to no restart. cltbench's jobs carry the same
# strategy in their own configuration (--flinkRestartAttempts, --flinkRestartDelaySeconds).
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: $restart_attempts
restart-strategy.fixed-delay.delay: $restart_delay s
# Slots from every TaskManager, so a job of parallelism 2 on two TaskManagers runs on both.
cluster.evenly-spread-out-slots: true
EOF
  local flags jm_jvm jm_dyn tm_jvm tm_dyn
  flags="$(java_flags)"
  mapfile -t jm < <(resource_params GET_JM_RESOURCE_PARAMS)
  mapfile -t tm < <(resource_params GET_TM_RESOURCE_PARAMS)
  jm_jvm="${jm[0]:-}"; jm_dyn="${jm[1]:-}"; tm_jvm="${tm[0]:-}"; tm_dyn="${tm[1]:-}"
  [ -n "$tm_jvm" ] && [ -n "$tm_dyn" ] || { log "no TaskManager resource parameters from BashJavaUtils"; exit 1; }
  # setsid: the JVMs outlive this script and do not share the caller's process group or terminal.
  # shellcheck disable=SC2086
  setsid java $jm_jvm $flags -Dlog.file="$dir/log/jobmanager.log" -cp "$cp" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$dir/conf" $jm_dyn \
    >"$dir/log/jobmanager.out" 2>&1 </dev/null &
  echo $! >"$dir/jobmanager.pid"
  local i name
  for i in $(seq 1 "$taskmanagers"); do
    name="$(taskmanager_name "$i")"
    # shellcheck disable=SC2086
    setsid java $tm_jvm $flags -Dlog.file="$dir/log/$name.log" -cp "$cp" \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$dir/conf" $tm_dyn \
      >"$dir/log/$name.out" 2>&1 </dev/null &
    echo $! >"$dir/$name.pid"
  done
  local all_slots=$((slots * taskmanagers))
  log "jobmanager $(pid_of jobmanager), taskmanagers $(for n in $(taskmanager_names); do printf '%s ' "$(pid_of "$n")"; done); waiting for $all_slots free slots on REST port $rest_port"
  local deadline=$((SECONDS + timeout)) body
  while [ $SECONDS -lt $deadline ]; do
    for name in jobmanager $(taskmanager_names); do
      if ! alive "$(pid_of "$name")"; then
        log "a cluster process died ($name); logs in $dir/log"
        # The first error names the cause; the tail shows how the process ended.
        grep -m 3 -h -E 'ERROR|Exception' "$dir/log/$name.out" >&2 || true
        tail -n 20 "$dir"/log/*.out >&2 || true
        stop || true
        # Flink names the port: "BindException: Could not start ... on any port in port range N".
        lost_port="$(grep -o -m 1 -E 'BindException: .* port range [0-9]+' "$dir/log/$name.out" \
          | grep -o -E '[0-9]+$' || true)"
        [ -z "$lost_port" ] || return 75
        return 1
      fi
    done
    body="$(rest_get "$rest_port" /overview || true)"
    if printf '%s' "$body" | grep -q "\"taskmanagers\":$taskmanagers[,}]" \
        && printf '%s' "$body" | grep -q "\"slots-available\":$all_slots[,}]"; then
      echo "127.0.0.1:$rest_port" >"$dir/rest-address"
      echo "rest=127.0.0.1:$rest_port"
      return 0
    fi
    sleep 1
  done
  log "no $taskmanagers TaskManager(s) with $all_slots free slots after ${timeout}s; stopping"
  stop || true
  return 1
}

status() {
  local rc=0 name pid
  for name in jobmanager $(taskmanager_names); do
    pid="$(pid_of "$name")"
    if alive "$pid"; then echo "$name running (pid $pid)"; else echo "$name not running"; rc=3; fi
  done
  if [ -f "$dir/rest-address" ] && [ "$rc" = 0 ]; then
    local address
    address="$(cat "$dir/rest-address")"
    echo "rest=$address"
    rest_get "${address##*:}" /overview 2>/dev/null && echo || true
  fi
  return "$rc"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [--dir=DIR] [--rest-port=P] [--rpc-port=P] [--slots=N] [--taskmanagers=N] [--restart-attempts=N] [--restart-delay=S] [--timeout=S]" >&2; exit 2 ;;
esac
