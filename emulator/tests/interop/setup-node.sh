#!/usr/bin/env bash
# Installs the official Node.js SDK the Node interop test drives: setup-node.sh DIR
# Installs exactly what package-lock.json pins into DIR/node_modules (npm ci) and prints that
# path on the last line, for TENCENTCLOUD_INTEROP_NODE_MODULES.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: setup-node.sh DIR}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# npm ci installs next to the manifest, so the pinned manifest and lock file go to DIR.
cp "$here/package.json" "$here/package-lock.json" "$dir/"
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
echo "$dir/node_modules"
