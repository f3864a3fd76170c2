#!/bin/sh
# bench.sh [N] [BUILD_DIR] - benchmark `iampc simulate`:
#   1. generate N requests (default 1,000,000) vs a role with several
#      policies, a boundary, a 3-level SCP chain and a bucket policy;
#   2. pure engine throughput (bench.c: requests pre-decoded), 1 and all cores;
#   3. end-to-end bulk mode (JSONL parsing included), --jobs 1 and all cores;
#   4. if tools/diff-sim/node_modules exists, the same requests (first 20,000)
#      through @cloud-copilot/iam-simulate for a ratio.
# BUILD_DIR must be a Release (or RelWithDebInfo) build of the tree.
set -eu
N=${1:-1000000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
B=${2:-$ROOT/build}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
CPUS=$(getconf _NPROCESSORS_ONLN)
python3 "$HERE/gen.py" "$N" "$W"
cc -std=c17 -O2 -I"$ROOT" -I"$B" "$HERE/bench.c" -o "$W/bench" \
   "$B/engine/libiam_engine.a" "$B/policy/libiam_policy.a" "$B/grammar/libiam_grammar.a" \
   "$B/core/libiam_core.a" -lpthread
echo "== engine only (requests decoded up front)"
"$W/bench" "$W/policies.json" "$W/requests.jsonl" "$CPUS"
for j in 1 "$CPUS"; do
    echo "== iampc simulate --requests (JSONL parsing included), --jobs $j"
    s=$(date +%s.%N)
    "$B/cli/iampc" simulate --jobs "$j" --requests "$W/requests.jsonl" "$W/policies.json" >/dev/null
    e=$(date +%s.%N)
    echo "$N $s $e" | awk '{printf "%.3f s, %.0f req/s\n", $3-$2, $1/($3-$2)}'
done
if [ -d "$HERE/../diff-sim/node_modules" ]; then
    echo "== @cloud-copilot/iam-simulate 0.1.173 (first 20000 requests, 1 thread)"
    NODE_PATH="$HERE/../diff-sim/node_modules" node "$HERE/bench-npm.mjs" "$W/policies.json" "$W/requests.jsonl" 20000
fi
