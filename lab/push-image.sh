#!/usr/bin/env bash
# push-image.sh ARCHIVE REFERENCE: push a docker-save archive to REFERENCE with crane, unless
# the registry holds the same image (same manifest digest) already. Prints "pushed REF" or
# "present REF". SSL_CERT_FILE and DOCKER_CONFIG say whom to trust and how to log in.
set -euo pipefail
archive=$1 ref=$2
crane=$(bash "$(dirname "$0")/build-crane.sh")
want=$("$crane" digest --tarball "$archive")
have=$("$crane" digest "$ref" 2>/dev/null || true)
if [ "$want" = "$have" ]; then
  echo "present $ref ($have)"
  exit 0
fi
"$crane" push "$archive" "$ref" >&2
have=$("$crane" digest "$ref")
[ "$want" = "$have" ] || { echo "push-image: $ref has $have after the push, not $want" >&2; exit 1; }
echo "pushed $ref ($have)"
