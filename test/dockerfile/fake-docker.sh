#!/bin/sh
# A stand-in for `docker buildx` (no Docker engine or buildx here; GitHub's runners have both). It
# accepts what buildDockerfile passes, logs argv and SOURCE_DATE_EPOCH to $FAKE_DOCKER_LOG, and does
# what BuildKit's OCI exporter does with `tar=false`: an OCI layout at dest=, here built by buildah
# and listed under the ref name `latest` (not ours), so the caller's renaming is exercised.
# FAKE_BUILDX_DRIVER=docker plays the plain docker driver, which refuses OCI exports (BuildKit's message).
set -e
printf '%s\n' "$*" >>"$FAKE_DOCKER_LOG"
printf 'SOURCE_DATE_EPOCH=%s\n' "$SOURCE_DATE_EPOCH" >>"$FAKE_DOCKER_LOG"
[ "$1" = buildx ] || exit 1
case "$2" in
  version) echo "github.com/docker/buildx v0.13.1 (stand-in)"; exit 0 ;;
  inspect) printf 'Name:          stand-in\nDriver:        %s\n' "${FAKE_BUILDX_DRIVER:-docker-container}"; exit 0 ;;
  build)
    if [ "${FAKE_BUILDX_DRIVER:-}" = docker ]; then
      echo "ERROR: OCI exporter is not supported for the docker driver." >&2
      echo "Switch to a different driver, or turn on the containerd image store, and try again." >&2
      exit 1
    fi
    shift 2 ;;
  *) exit 1 ;;
esac
args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --file) file=$2; shift 2 ;;
    --platform) platform=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --build-arg) args="$args --build-arg $2"; shift 2 ;;
    --provenance=false | --sbom=false) shift ;;
    -*) echo "stand-in docker: unexpected option $1" >&2; exit 2 ;;
    *) context=$1; shift ;;
  esac
done
dest=$(printf '%s' "$output" | sed -n 's/^type=oci,dest=\([^,]*\),tar=false,rewrite-timestamp=true,.*/\1/p')
[ -n "$dest" ] || { echo "stand-in docker: unexpected --output $output" >&2; exit 2; }
# shellcheck disable=SC2086
buildah build --quiet --timestamp "$SOURCE_DATE_EPOCH" --identity-label=false --platform "$platform" -f "$file" $args -t localhost/fake-buildx:1 "$context" >/dev/null
buildah push --quiet localhost/fake-buildx:1 "oci:$dest:latest"
buildah rmi --force localhost/fake-buildx:1 >/dev/null
