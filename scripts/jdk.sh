# Sourced by ./kiln and .ci/run: puts a JDK 21 or newer first, or explains how to get one.
# Order: $JAVA_HOME, the java on PATH, then the newest JDK under /usr/lib/jvm.

# The major version of a java binary, read from its JDK's `release` file (every JDK since 9 has
# one) with shell built-ins only: starting the JVM to ask costs ~70 ms, each extra process a few.
kiln_java_major() {
  local bin=$1 home line version=""
  case "$bin" in
    */bin/java) ;;
    *) bin=$(command -v "$bin") || return 0 ;;
  esac
  home=${bin%/bin/java}
  if [ ! -f "$home/release" ] && [ -L "$bin" ]; then
    bin=$(readlink -f "$bin")
    home=${bin%/bin/java}
  fi
  if [ -f "$home/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) version=${line#JAVA_VERSION=}; version=${version//\"/}; break ;;
      esac
    done <"$home/release"
  fi
  if [ -z "$version" ]; then
    "$1" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
    return 0
  fi
  version=${version#1.}
  echo "${version%%[._]*}"
}

kiln_use_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(kiln_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(readlink -f "$(command -v java)")
    major=$(kiln_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ]; then
      best="$candidate"; best_major=$major
    fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java /opt/*/bin/java /opt/java/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(kiln_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] && [ "${major:-0}" -gt "$best_major" ]; then
      best="$candidate"; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "Kiln needs a JDK 21 or newer, and none was found (JAVA_HOME, PATH, /usr/lib/jvm)." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk-headless' where available, or a" >&2
    echo "Temurin JDK) and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$(dirname "$(dirname "$best")")
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
}
