# The benchmark suites and their default settings; sourced by scripts/bench.
#
# A suite is the Java package dev.permafrost.jmh.<suite>. A JMH suite's benchmarks run from the
# shaded jar; a suite that is not JMH is a main class dev.permafrost.jmh.<suite>.<Suite>Suite
# taking --out FILE (JMH's JSON result format, plus "operation" and "subject" fields),
# --quick and --smoke.

BENCH_SUITES=(refcount alloc objects cache startup fleet trace)
BENCH_PROGRAM_SUITES=(startup fleet trace)
# JMH suites that also have a main class (as above) for what JMH cannot measure (the cache suite's
# memory per entry and build rate): its results join the JMH ones in SUITE.json.
BENCH_MIXED_SUITES=(cache)

# A full run: at least 3 forks (the page reports medians across them); each class's own warm-up
# and measurement. A quick run: 1 fork, short iterations.
BENCH_FULL_JMH_ARGS="-f 3"
BENCH_QUICK_JMH_ARGS="-f 1 -wi 1 -i 2 -w 1s -r 1s"
# Extra JMH arguments of a suite's quick run (fewer sizes: -p NAME=V1,V2), by suite.
declare -A BENCH_QUICK_EXTRA_JMH_ARGS=()

is_program_suite() {
  local s
  for s in "${BENCH_PROGRAM_SUITES[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

is_mixed_suite() {
  local s
  for s in "${BENCH_MIXED_SUITES[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# join_json_arrays A B: writes to standard output one JSON array of the elements of the arrays in
# files A and B (each "[...]", as JMH and the suites write them).
join_json_arrays() {
  local a b
  a=$(tr -d '\n' < "$1" | sed -e 's/^[[:space:]]*\[//' -e 's/\][[:space:]]*$//')
  b=$(tr -d '\n' < "$2" | sed -e 's/^[[:space:]]*\[//' -e 's/\][[:space:]]*$//')
  if [ -z "${a//[[:space:]]/}" ]; then printf '[%s]\n' "$b"
  elif [ -z "${b//[[:space:]]/}" ]; then printf '[%s]\n' "$a"
  else printf '[%s,%s]\n' "$a" "$b"; fi
}

# suite_main_class SUITE: dev.permafrost.jmh.startup.StartupSuite for startup
suite_main_class() {
  printf 'dev.permafrost.jmh.%s.%sSuite' "$1" "$(printf '%s' "${1:0:1}" | tr '[:lower:]' '[:upper:]')${1:1}"
}

# merge_jmh_args DEFAULT-OPTION VALUE ... -- USER-ARGS...: sets the array MERGED_JMH_ARGS to the
# defaults whose option the user's arguments do not name, followed by the user's arguments.
merge_jmh_args() {
  local -a defaults=() user=()
  while [ "$#" -gt 0 ] && [ "$1" != -- ]; do defaults+=("$1"); shift; done
  [ "$#" -gt 0 ] && shift
  user=("$@")
  MERGED_JMH_ARGS=()
  local i u given
  for ((i = 0; i < ${#defaults[@]}; i += 2)); do
    given=0
    for u in "${user[@]}"; do [ "$u" = "${defaults[i]}" ] && given=1; done
    [ "$given" = 1 ] || MERGED_JMH_ARGS+=("${defaults[i]}" "${defaults[i + 1]}")
  done
  MERGED_JMH_ARGS+=("${user[@]}")
}
