#!/bin/sh
# run_diff.sh IAMPC WORKDIR [diff-sim.mjs args...] - the simulate.diff ctest:
# tools/diff-sim (iampc vs @cloud-copilot/iam-simulate) on a bounded sample.
#
# Self-contained for CI: the pinned oracle (tools/diff-sim/package-lock.json)
# is installed with `npm ci` into a cache directory outside the repository,
# keyed by the lock file's hash ($IAMPC_CACHE, default
# ${XDG_CACHE_HOME:-~/.cache}/iampc, as tools/validate-sarif does), so the
# first run needs the npm registry and later runs need no network.
# Exit: diff-sim's status (0 agree or known divergences, 1 unexplained
# divergence), 2 set-up failure, 77 skipped (no node, or no npm and nothing
# cached): ctest reports SKIP_RETURN_CODE 77 as "Skipped", not "Passed".
set -eu
[ $# -ge 2 ] || { echo "usage: run_diff.sh IAMPC WORKDIR [ARGS...]" >&2; exit 2; }
iampc=$1
work=$2
shift 2
tool=$(cd "$(dirname "$0")/../../tools/diff-sim" && pwd)

command -v node >/dev/null 2>&1 || { echo "simulate.diff: skipped: node not found"; exit 77; }

cache=${IAMPC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iampc}
key=$(cat "$tool/package.json" "$tool/package-lock.json" | cksum | cut -d' ' -f1)
dir="$cache/diff-sim-$key"
if [ ! -f "$dir/.installed" ]; then
    command -v npm >/dev/null 2>&1 || {
        echo "simulate.diff: skipped: npm not found and $dir not installed"
        exit 77
    }
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/diff-sim-tmp.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    cp "$tool/package.json" "$tool/package-lock.json" "$tmp/"
    if ! (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2); then
        echo "simulate.diff: npm ci failed (needs the npm registry once)" >&2
        exit 2
    fi
    touch "$tmp/.installed"
    # Publish atomically; if a concurrent run got there first, use its copy.
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
    trap - EXIT
fi

# diff-sim.mjs imports the oracle by a bare specifier, which Node resolves
# from the importing file's directory (NODE_PATH does not apply to ES
# modules), so it runs from a copy in WORKDIR beside a link to the cache.
mkdir -p "$work"
cp "$tool/diff-sim.mjs" "$tool/known-divergences.json" "$work/"
ln -sfn "$dir/node_modules" "$work/node_modules"
echo "simulate.diff: oracle from $dir"
exec node "$work/diff-sim.mjs" --iampc "$iampc" "$@"
