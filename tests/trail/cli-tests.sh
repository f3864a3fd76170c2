#!/bin/sh
# cli-tests.sh CASE IAMPC GEN WORKDIR - end-to-end tests of iampc generate,
# unused and trail summarize over archives written by tools/gen-cloudtrail.
set -eu
case_=$1 iampc=$2 gen=$3 work=$4
mkdir -p "$work"
data() {   # data NAME ARGS...: generate once (concurrent ctest runs share it)
    d="$work/$1"; shift
    if mkdir "$d.lock" 2>/dev/null; then
        [ -d "$d" ] || { python3 "$gen" "$d.tmp" "$@" >/dev/null && mv "$d.tmp" "$d"; }
    else
        while [ ! -d "$d" ]; do sleep 0.2; done
    fi
}
json() { python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$1"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
t="$work/$case_.out"; mkdir -p "$t"
APP=arn:aws:iam::111122223333:role/service-role/app-backend
data base --seed 7 --records 6000 --per-file 300 --lookup-events "$work/lookup.json.tmp"
case $case_ in
deterministic)
    python3 "$gen" "$t/a" --seed 3 --records 500 >/dev/null
    python3 "$gen" "$t/b" --seed 3 --records 500 >/dev/null
    diff -r "$t/a" "$t/b" >/dev/null || fail "generator not deterministic" ;;
principal)
    "$iampc" generate "$work/base" --principal $APP >"$t/p.json" 2>"$t/err" || fail "exit $?"
    json "$t/p.json"
    grep -q '"s3:GetObject"' "$t/p.json" || fail "no s3:GetObject"
    grep -q '"iam:PassRole"' "$t/p.json" || fail "implied PassRole not granted"
    grep -q 'trail-implied-action' "$t/err" || fail "no PassRole warning"
    grep -q 'coverage: ' "$t/err" || fail "no coverage report"
    grep -q 'unmapped event newsvc-preview.amazonaws.com DoSomethingNew' "$t/err" || fail "unmapped not listed" ;;
sessions_path_free)
    "$iampc" generate "$work/base" --principal arn:aws:iam::111122223333:role/app-backend >"$t/a" 2>/dev/null
    "$iampc" generate "$work/base" --principal $APP >"$t/b" 2>/dev/null
    cmp -s "$t/a" "$t/b" || fail "role ARN without path differs" ;;
keyed)
    "$iampc" generate "$work/base" >"$t/all.json" 2>/dev/null
    python3 - "$t/all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keys = set(d)
need = {"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:role/service-role/app-backend",
        "arn:aws:iam::111122223333:user/fed-broker", "arn:aws:iam::999988887777:root"}
assert need <= keys, need - keys
assert not any("assumed-role" in k or "sts" in k for k in keys), keys
PY
    ;;
outdir)
    "$iampc" generate "$work/base" -o "$t/pol" 2>/dev/null
    [ -f "$t/pol/111122223333_role_service-role_app-backend.json" ] || fail "no role file"
    for f in "$t"/pol/*.json; do json "$f"; done ;;
format_json)
    "$iampc" generate "$work/base" --format json >"$t/j.json" 2>/dev/null
    python3 - "$t/j.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["coverage"]
assert c["records"] > 6000 and c["mapped"] > 0 and c["denied"] > 0 and c["duplicates"] > 0, c["records"]
assert any(u["eventName"] == "DoSomethingNew" for u in c["unmappedEvents"])
assert any(i["action"] == "iam:PassRole" for i in c["impliedActions"])
assert len(d["policies"]) >= 5
PY
    ;;
jobs)
    "$iampc" generate "$work/base" --jobs 1 >"$t/1" 2>/dev/null
    "$iampc" generate "$work/base" --jobs 4 >"$t/4" 2>/dev/null
    cmp -s "$t/1" "$t/4" || fail "output depends on --jobs" ;;
corrupt)
    data bad --seed 9 --records 1000 --corrupt
    set +e; "$iampc" generate "$work/bad" >"$t/o" 2>"$t/err"; rc=$?; set -e
    [ $rc -eq 1 ] || fail "exit $rc, want 1"
    grep -q 'zz_truncated.json.gz: error: skipped' "$t/err" || fail "truncated file not named"
    grep -q 'zz_corrupt.json.gz: error: skipped' "$t/err" || fail "corrupt file not named"
    json "$t/o" ;;
stdin)
    f=$(find "$work/base" -name '*.json.gz' | sort | head -1)
    "$iampc" generate - <"$f" >"$t/a" 2>/dev/null
    "$iampc" generate "$f" >"$t/b" 2>/dev/null
    cmp -s "$t/a" "$t/b" || fail "stdin differs from file" ;;
lookup_events)
    "$iampc" generate "$work/lookup.json.tmp" >"$t/o" 2>"$t/err"
    json "$t/o"
    grep -q 'arn:aws:iam::111122223333' "$t/o" || fail "no principals from lookup-events" ;;
org_layout)
    data org --seed 11 --records 800 --org
    [ -d "$work/org/AWSLogs/o-a1b2c3d4e5" ] || fail "no org layout"
    "$iampc" generate "$work/org" --account 111122224444 --format json >"$t/o" 2>/dev/null
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['policies'] and all('111122223333' not in k for k in d['policies']), list(d['policies'])" "$t/o" ;;
filters)
    "$iampc" generate "$work/base" --principal $APP --since 2030-01-01 >"$t/o" 2>"$t/err"
    grep -q 'no events of principal' "$t/err" || fail "since filter"
    "$iampc" generate "$work/base" --principal $APP --read-only >"$t/o" 2>/dev/null
    ! grep -q '"s3:PutObject"' "$t/o" || fail "read-only kept PutObject"
    "$iampc" generate "$work/base" --principal $APP --write-only >"$t/o" 2>/dev/null
    ! grep -q '"s3:ListAllMyBuckets"' "$t/o" || fail "write-only kept ListAllMyBuckets"
    "$iampc" generate "$work/base" --principal $APP --region eu-west-1 >"$t/o" 2>/dev/null
    ! grep -q 'us-east-1' "$t/o" || fail "region filter" ;;
resources)
    "$iampc" generate "$work/base" --principal $APP --resources star >"$t/s" 2>/dev/null
    ! grep -q '"arn:' "$t/s" || fail "star kept ARNs"
    "$iampc" generate "$work/base" --principal $APP --resources exact >"$t/e" 2>/dev/null
    "$iampc" generate "$work/base" --principal $APP >"$t/g" 2>/dev/null
    [ $(wc -c <"$t/e") -gt $(wc -c <"$t/g") ] || fail "exact not larger than generalize" ;;
denied)
    "$iampc" generate "$work/base" --principal $APP --no-dependent-actions >"$t/a" 2>"$t/err"
    grep -q 'needed but not granted' "$t/err" || fail "no denied list"
    "$iampc" generate "$work/base" --principal $APP --include-denied >"$t/b" 2>/dev/null
    json "$t/b" ;;
summary_merge)
    "$iampc" trail summarize "$work/base" --account 111122223333 -o "$t/a.sum" 2>/dev/null
    "$iampc" trail summarize "$work/base" --account 111122224444 -o "$t/b.sum" 2>/dev/null
    "$iampc" generate --summary "$t/a.sum" --summary "$t/b.sum" >"$t/from-sum" 2>/dev/null
    "$iampc" generate "$work/base" >"$t/from-logs" 2>/dev/null
    cmp -s "$t/from-sum" "$t/from-logs" || fail "summaries merged differ from the logs"
    "$iampc" trail summarize --summary "$t/b.sum" --summary "$t/a.sum" -o "$t/ba.sum" 2>/dev/null
    "$iampc" trail summarize --summary "$t/a.sum" --summary "$t/b.sum" -o "$t/ab.sum" 2>/dev/null
    cmp -s "$t/ab.sum" "$t/ba.sum" || fail "merge depends on order" ;;
unused)
    cat >"$t/pol.json" <<'P'
{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","dynamodb:*"],"Resource":"*"},
 {"Effect":"Allow","Action":"glacier:ListVaults","Resource":"*"}]}
P
    set +e
    "$iampc" unused --cloudtrail "$work/base" --principal $APP --policy "$t/pol.json" >"$t/o" 2>/dev/null; rc=$?
    set -e
    [ $rc -eq 1 ] || fail "exit $rc"
    grep -q '^glacier (service never observed)' "$t/o" || fail "glacier"
    grep -q '^s3 (observed, action unused)' "$t/o" || fail "s3"
    grep -q 's3:DeleteObject' "$t/o" || fail "DeleteObject unused"
    ! grep -q 's3:GetObject$' "$t/o" || fail "GetObject listed unused"
    "$iampc" unused --cloudtrail "$work/base" --principal $APP --policy "$t/pol.json" --emit-policy >"$t/r" 2>/dev/null
    json "$t/r"
    grep -q 's3:GetObject' "$t/r" && ! grep -q 'glacier' "$t/r" && ! grep -q 'DeleteObject' "$t/r" || fail "reduced policy" ;;
*) fail "unknown case $case_" ;;
esac
