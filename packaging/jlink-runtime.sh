#!/usr/bin/env bash
# Builds a trimmed Java runtime for todo-service with jlink.
#
#   packaging/jlink-runtime.sh APP_DIR OUT_DIR
#
# APP_DIR holds todo-service.jar and libs/ (as `mvn package` leaves them in target/). The module set is what jdeps
# finds in the jar and its libraries, plus the few modules that are only ever loaded reflectively (see EXTRA_MODULES).
# Uses the jlink and jdeps of JAVA_HOME (or the PATH); `--strip-debug` needs objcopy (binutils).
set -euo pipefail

app_dir=${1:?usage: jlink-runtime.sh APP_DIR OUT_DIR}
out_dir=${2:?usage: jlink-runtime.sh APP_DIR OUT_DIR}
bin=${JAVA_HOME:+$JAVA_HOME/bin/}

# Loaded by name at run time, so jdeps cannot see them:
#   jdk.unsupported  sun.misc.Unsafe, used by libraries for fast paths (falls back silently and slower without it)
#   jdk.management   com.sun.management beans behind Helidon's process CPU and file-descriptor metrics
#   jdk.jdwp.agent   the debugger agent, inert unless -agentlib:jdwp is given (compose.dev.yaml does)
#   jdk.crypto.ec    elliptic-curve TLS, for a DATABASE_URL with sslmode=require (an empty alias since JDK 22)
EXTRA_MODULES=jdk.unsupported,jdk.management,jdk.jdwp.agent
if "${bin}java" --list-modules | grep -q '^jdk\.crypto\.ec@'; then
    EXTRA_MODULES+=,jdk.crypto.ec
fi

release=$("${bin}java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
modules=$("${bin}jdeps" --ignore-missing-deps --print-module-deps --multi-release "$release" \
    --class-path "$app_dir/libs/*" "$app_dir/todo-service.jar")
echo "jlink-runtime: modules from jdeps: $modules; added: $EXTRA_MODULES"

# --strip-debug also strips native symbols, which takes objcopy; without binutils only the Java debug data goes.
strip=--strip-debug
if ! command -v objcopy >/dev/null; then
    echo "jlink-runtime: no objcopy (binutils), native debug symbols stay in" >&2
    strip=--strip-java-debug-attributes
fi
rm -rf "$out_dir"
"${bin}jlink" --add-modules "$modules,$EXTRA_MODULES" "$strip" --no-man-pages --no-header-files \
    --compress=zip-6 --output "$out_dir"
"$out_dir/bin/java" --list-modules >/dev/null
echo "jlink-runtime: $(du -sh "$out_dir" | cut -f1) in $out_dir"
