#!/usr/bin/env bash
# Builds the VM release: target/todo-service-<version>-linux-x64.tar.gz, unpacking to todo-service-<version>/ with
#   bin/todo-service         launcher (absolute paths, JAVA_OPTS passed through; `todo-service migrate` for migrations)
#   bin/todo-service-ready   readiness probe (systemd's ExecStartPost waits with it)
#   runtime/                 jlink runtime with only the modules jdeps finds (see jlink-runtime.sh)
#   app/                     todo-service.jar, libs/, and todo-service.aot (JDK 25 AOT cache from a training run)
#
#   packaging/build-release.sh
#
# Needs JAVA_HOME at a JDK 25 (the runtime is linked from it), Maven, binutils (jlink --strip-debug) and, for the
# training run, PostgreSQL's server binaries under /usr/lib/postgresql (Debian's postgresql package) or a database URL
# (TRAIN_DATABASE_URL) to an empty database. RELEASE_VERSION overrides the version (default: the pom's, with a UTC
# timestamp for a -SNAPSHOT). Earlier builds in target/ are removed.
set -euo pipefail

cd "$(dirname "$0")/.."
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
export PATH=$JAVA_HOME/bin:$PATH

mvn -B -ntp -q -Dmaven.test.skip=true package
version=$(sed -n 's/^version=//p' target/maven-archiver/pom.properties)
# Every snapshot build gets its own version, so a deploy of a rebuilt tarball is never mistaken for the one installed.
if [[ $version == *-SNAPSHOT ]]; then version+=-$(date -u +%Y%m%d%H%M%S); fi
version=${RELEASE_VERSION:-$version}
name=todo-service-$version
stage=target/release/$name
rm -rf target/release target/todo-service-*-linux-x64.tar.gz
mkdir -p "$stage/bin" "$stage/app"
cp packaging/bin/todo-service packaging/bin/todo-service-ready "$stage/bin/"
cp -r target/todo-service.jar target/libs "$stage/app/"
packaging/jlink-runtime.sh "$stage/app" "$stage/runtime"
packaging/aot-train.sh "$stage"

tarball=target/$name-linux-x64.tar.gz
tar -C target/release -czf "$tarball" --owner=0 --group=0 "$name"
echo "build-release: $tarball ($(du -h "$tarball" | cut -f1); runtime $(du -sh "$stage/runtime" | cut -f1)," \
    "AOT cache $(du -h "$stage/app/todo-service.aot" | cut -f1))"
