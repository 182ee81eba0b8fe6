# Sourced by ./mvnw and every script in scripts/: selects JDK 25 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is a JDK 25, else the first JDK 25 under /usr/lib/jvm (or
# $PERMAFROST_JDK_SEARCH, a space-separated list of folders). Fails with a clear message.

permafrost_java_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

permafrost_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(permafrost_java_major "$JAVA_HOME")" = 25 ]; then
    export JAVA_HOME; return 0
  fi
  dir= noglob=
  case $- in *f*) noglob=1; set +f ;; esac   # ./mvnw runs with globbing off
  for dir in ${PERMAFROST_JDK_SEARCH:-/usr/lib/jvm/* /opt/java/* /opt/jdk*}; do
    if [ "$(permafrost_java_major "$dir")" = 25 ]; then
      JAVA_HOME=$dir; export JAVA_HOME; [ -z "$noglob" ] || set -f; return 0
    fi
  done
  [ -z "$noglob" ] || set -f
  echo "permafrost: JDK 25 not found: JAVA_HOME=${JAVA_HOME:-<unset>} is not a JDK 25 and none was found under ${PERMAFROST_JDK_SEARCH:-/usr/lib/jvm, /opt}; install a JDK 25 (Temurin) or point JAVA_HOME at one" >&2
  return 1
}
