# Sourced by ./qfed, ./run-tests and .ci/run: finds a JDK >= 21 and exports JAVA_HOME and the JVM flags QFed
# needs. Order: $JAVA_HOME, `java` on PATH, then the usual install folders (newest first).

qfed_java_feature() { # prints the feature version of the java binary $1, or nothing
    # the JDK's release file answers without starting a JVM (which would add ~0.1 s to every ./qfed command)
    local release="${1%/bin/java}/release" v=""
    [ -f "$release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1)
    if [ -n "$v" ] && [ "$v" != 1 ]; then
        echo "$v"
        return
    fi
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

qfed_find_java() {
    local candidates=() c v
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        c=$(readlink -f "$(command -v java)") && candidates+=("${c%/bin/java}")
    fi
    for c in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
            "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
        candidates+=("$c")
    done
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
        v=$(qfed_java_feature "$c/bin/java")
        if [ -n "$v" ] && [ "$v" -ge 21 ]; then
            QFED_JAVA_HOME="$c"
            QFED_JAVA_FEATURE="$v"
            return 0
        fi
    done
    {
        echo "qfed: no JDK 21 or newer found."
        echo "  looked at: \$JAVA_HOME, java on PATH, /usr/lib/jvm/*, /usr/java/*, /opt/java/*, ~/.sdkman, ~/.jdks"
        echo "  install one (for example: apt-get install openjdk-21-jdk, or Temurin 21/25) or set JAVA_HOME."
    } >&2
    return 1
}

qfed_find_java || exit 1
export JAVA_HOME="$QFED_JAVA_HOME"
# Maven 3.9 (Guice) still calls sun.misc.Unsafe; JDK 23+ warns about it unless told the access is expected.
if [ "$QFED_JAVA_FEATURE" -ge 23 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
