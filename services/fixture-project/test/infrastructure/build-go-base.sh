#!/usr/bin/env bash
# Makes the images the real Go fixture builds on, without a registry, once per machine:
#   localhost/kubernaut-e2e/bookworm:base          debootstrap --variant=minbase bookworm, podman import
#   localhost/kubernaut-e2e/go-builder:<hash>      docker/go/builder.Dockerfile on that base (golang-go, Go 1.19)
# <hash> is the first 12 hex digits of sha256(base recipe + builder.Dockerfile): the same inputs give the same tag,
# and an image that exists with the input label is reused. Prints the builder ref on stdout.
# Needs root, podman and debootstrap. RUN steps use chroot isolation and the host network (BUILDAH_ISOLATION
# overrides), because podman's default runtime cannot run them on CI machines like ours.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
dockerfile="$here/docker/go/builder.Dockerfile"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_recipe="debootstrap --variant=minbase bookworm $mirror"
base_ref=localhost/kubernaut-e2e/bookworm:base
base_key=$(printf '%s' "$base_recipe" | sha256sum | cut -c1-12)
hash=$(
  {
    printf '%s\n' "debootstrap --variant=minbase bookworm"
    cat "$dockerfile"
  } | sha256sum | cut -c1-12
)
builder_ref="localhost/kubernaut-e2e/go-builder:$hash"
label=io.kubernaut-e2e.inputs

has_image() { # ref, label value
  [ "$(podman image inspect --format "{{index .Labels \"$label\"}}" "$1" 2>/dev/null || true)" = "$2" ]
}

if [ "${1:-}" = "--print-ref" ]; then echo "$builder_ref"; exit 0; fi

if has_image "$builder_ref" "$hash"; then echo "$builder_ref"; exit 0; fi

if ! podman image inspect "$base_ref" >/dev/null 2>&1 || [ "$(podman image inspect --format '{{.Comment}}' "$base_ref" 2>/dev/null)" != "$base_key" ]; then
  command -v debootstrap >/dev/null || { echo "build-go-base: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  root=$(mktemp -d /var/tmp/kubernaut-e2e-bookworm.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  echo "build-go-base: debootstrap bookworm into $root" >&2
  debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | podman import --message "$base_key" - "$base_ref" >&2
  rm -rf "$root"
  trap - EXIT
fi

echo "build-go-base: building $builder_ref" >&2
podman build --isolation="${BUILDAH_ISOLATION:-chroot}" --network host --label "$label=$hash" \
  --file "$dockerfile" --tag "$builder_ref" "$here/docker/go" >&2
echo "$builder_ref"
