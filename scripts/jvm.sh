# Sourced by ./cltbench and the benchmark scripts: which java runs cltbench.jar, with which flags.
#
#   cltbench_jvm HOME JAR [COMMAND ARGS...]   sets the array JVM (the java binary and its flags), and JIT
#                                             (c1 or tiered: the compilers those flags give)
#
# The jar is built for Java 17 and runs on any later JDK. A local command prefers a JDK of 25 or later
# when one is installed, and starts it from an AOT cache (JEP 483, 514, 515: classes loaded and linked,
# and the methods' profiles, recorded in a training run): most of a short command's time is the JVM
# loading and compiling (the published report: 7.5 s on Java 17, 3.9 s from the cache). The cache is
# trained once per build of the jar (and per JDK build), on the fixture study's report
# (src/test/resources), never on a study a benchmark measures, and kept in target/aot/. A command for a remote Flink cluster keeps the
# default java: the cluster's JVMs are that version (scripts/flink-cluster.sh).
#
#   CLTBENCH_JAVA=/path/to/java   this java, with a cache when it is 25 or later
#   CLTBENCH_AOT=0                no cache (and no other JDK than CLTBENCH_JAVA or java on PATH)
#
# A local report on a small study runs on C1 alone (cltbench_jit below); CLTBENCH_JIT=c1 or
# CLTBENCH_JIT=tiered picks the compilers whatever the study's size.

# The major version of a java binary, from its JDK's release file (no JVM started); 0 if unknown.
cltbench_java_major() {
  local bin release v
  bin="$(readlink -f "$1" 2>/dev/null || echo "$1")"
  release="$(dirname "$(dirname "$bin")")/release"
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null | head -n 1)"
  echo "${v:-0}"
}

# The newest installed JDK of 25 or later (under /usr/lib/jvm or JAVA_HOME), else nothing.
cltbench_newer_java() {
  local best="" best_v=0 c v
  for c in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/*/bin/java; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v="$(cltbench_java_major "$c")"
    if [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ]; then
      best="$c"
      best_v="$v"
    fi
  done
  echo "$best"
}

cltbench_jvm() {
  local home="$1" jar="$2"
  shift 2
  local java="${CLTBENCH_JAVA:-}" remote=0 a
  for a in "$@"; do
    case "$a" in
      --flinkMaster=\[local\]|--flinkMaster=\[auto\]) ;;
      --flinkMaster=*) remote=1 ;;
    esac
  done
  if [ -n "$java" ] && [ ! -x "$java" ]; then
    echo "cltbench: CLTBENCH_JAVA=$java is not an executable java" >&2
    exit 2
  fi
  if [ -z "$java" ]; then
    java="$(command -v java)"
    if [ "$remote" = 0 ] && [ "${CLTBENCH_AOT:-1}" != 0 ] && [ "$(cltbench_java_major "$java")" -lt 25 ]; then
      local newer
      newer="$(cltbench_newer_java)"
      [ -n "$newer" ] && java="$newer"
    fi
  fi
  JVM=("$java")
  # Flags Java 17 needs for Flink's serialization of JDK classes (see scripts/java17-flags.txt).
  if [ -f "$home/scripts/java17-flags.txt" ]; then
    while read -r f; do [ -n "$f" ] && [ "${f#\#}" = "$f" ] && JVM+=("$f"); done < "$home/scripts/java17-flags.txt"
  fi
  local major
  major="$(cltbench_java_major "$java")"
  if [ "$major" -ge 24 ]; then
    # Beam's vendored protobuf and snappy-java use sun.misc.Unsafe and System.load, which JDK 24+
    # warn about on every start.
    JVM+=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
  fi
  if [ "$major" -ge 25 ] && [ "$remote" = 0 ] && [ "${CLTBENCH_AOT:-1}" != 0 ]; then
    # A cache fits one JDK build and one jar at one path: both are in its name, and a rebuilt jar
    # (newer than the cache) trains it again.
    local build jar_id cache
    build="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$(dirname "$(dirname "$(readlink -f "$java")")")/release" \
      2>/dev/null | tr -c 'A-Za-z0-9.\n' '_' | head -n 1)"
    jar_id="$(printf '%s' "$jar" | cksum | cut -d' ' -f1)"
    cache="$home/target/aot/cltbench-jdk${build:-$major}-$jar_id.aot"
    if [ ! -f "$cache" ] || [ "$jar" -nt "$cache" ]; then
      cltbench_train_aot "$home" "$jar" "$cache" || true
    fi
    if [ -f "$cache" ]; then
      # Should the JVM still refuse the cache, it says why on stderr (its log goes to stdout by
      # default, where it would mix with a command's output) and starts without it.
      JVM+=("-XX:AOTCache=$cache" -Xlog:aot*=off:stdout -Xlog:cds*=off:stdout -Xlog:aot*=warning:stderr
        -Xlog:cds*=warning:stderr)
    fi
  fi
  # After the cache: it is trained with both compilers, whatever this command runs on.
  JIT=tiered
  if [ "$remote" = 0 ]; then
    cltbench_jit "$@"
  fi
  if [ "$JIT" = c1 ]; then
    JVM+=(-XX:TieredStopAtLevel=1)
  fi
}

# The bound below which a local report runs on C1 alone: the study's results and grades, in MB.
CLTBENCH_C1_BELOW_MB=80

# The JIT compilers of a local command: sets JIT to c1 or tiered. A report on a small study is done in seconds, most
# of them the JVM's: on 2 cores, C2 (the optimizing compiler) keeps one core busy for the whole of such a
# run, and its code arrives too late to pay for itself. On C1 alone (-XX:TieredStopAtLevel=1) a small
# report is faster; a large one is slower, C2's code being faster. Where they cross was found on
# synthetic studies of a seed no benchmark uses (synth --seed=7 at 1x, 3x, 10x, 20x and 30x the
# published study; docs/benchmarks.md), on 2 cores: about 100 MB on the DirectRunner, about 70 MB on
# embedded Flink; near the bound either choice costs a few per cent. With more cores C2 competes less
# with the report, and CLTBENCH_JIT=tiered may suit a short report there. A study the launcher cannot
# size (another filesystem's path) keeps both compilers.
cltbench_jit() {
  local mode study="" a
  mode="$(printf '%s' "${CLTBENCH_JIT:-auto}" | tr '[:upper:]' '[:lower:]')"
  case "$mode" in
    tiered|c1) JIT="$mode"; return 0 ;;
    auto) ;;
    *) echo "cltbench: CLTBENCH_JIT=$CLTBENCH_JIT is not one of auto, c1, tiered" >&2; exit 2 ;;
  esac
  [ "${1:-}" = report ] || return 0
  study="${CLTBENCH_STUDY:-}"
  # The report's own default (dev.cltbench.study.PublishedStudy): $CLTBENCH_STUDY, else this path from the
  # working directory.
  case "$study" in *[![:space:]]*) ;; *) study=../shared/left-behind-clt ;; esac
  for a in "$@"; do
    case "$a" in --study=*) study="${a#--study=}" ;; esac
  done
  case "$study" in *://*) return 0 ;; esac
  [ -d "$study" ] || return 0
  local kb
  kb="$(du -skL "$study/results" "$study/grades" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')"
  if [ "$kb" -lt $((CLTBENCH_C1_BELOW_MB * 1024)) ]; then
    JIT=c1
  fi
}

# Trains the AOT cache: the fixture study's report in a directory of its own, removed after.
cltbench_train_aot() {
  local home="$1" jar="$2" cache="$3" work
  local fixture="$home/src/test/resources/dev/cltbench/fixture-study"
  [ -d "$fixture" ] || return 1
  # A read-only checkout starts without a cache rather than training one it cannot keep.
  mkdir -p "$(dirname "$cache")" 2>/dev/null && [ -w "$(dirname "$cache")" ] || return 1
  work="$(mktemp -d "${TMPDIR:-/tmp}/cltbench-aot.XXXXXX")"
  local partial="$cache.$$.partial"
  echo "cltbench: preparing the start-up cache for $(basename "$cache") (once per build, about 10 s) ..." >&2
  if "${JVM[@]}" "-XX:AOTCacheOutput=$partial" -jar "$jar" report \
      --pipeline="$fixture/pipeline.json" --study="$fixture" --output="$work/report" >"$work/log" 2>&1 \
      && [ -f "$partial" ] && mv -f "$partial" "$cache"; then
    # A rename in one directory: a command starting meanwhile sees the old cache or the new, whole.
    rm -rf "$work"
    return 0
  fi
  rm -f "$partial"
  echo "cltbench: no start-up cache (training failed; see $work/log); starting without one" >&2
  return 1
}
