#!/bin/sh
# hooks.sh MODE IAMPC SRCDIR - commit through iampc's hooks in a scratch repo.
#   MODE framework: .pre-commit-hooks.yaml from SRCDIR, run by `pre-commit`
#   MODE git-hook:  SRCDIR/tools/git-pre-commit as .git/hooks/pre-commit
# A policy granting everything must be rejected (and not committed), a
# scoped one accepted; .iampc.json ignores and failOn must be honoured.
set -eu
mode=$1
iampc=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
src=$(cd "$3" && pwd)

command -v git >/dev/null 2>&1 || { echo "SKIP: git not installed"; exit 77; }
if [ "$mode" = framework ] && ! command -v pre-commit >/dev/null 2>&1; then
    echo "SKIP: pre-commit not installed"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iampc-hooks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Isolate git and pre-commit from the user's configuration and caches.
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 PRE_COMMIT_HOME="$tmp/cache" XDG_CACHE_HOME="$tmp/cache"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE 2>/dev/null || true
mkdir -p "$HOME"
# The hook runs `iampc` from PATH, as users install it.
mkdir "$tmp/bin"
ln -s "$iampc" "$tmp/bin/iampc"
export PATH="$tmp/bin:$PATH"

fail() { echo "FAIL: $*" >&2; exit 1; }
commits() { git rev-list --count HEAD 2>/dev/null || echo 0; }

proj="$tmp/project"
mkdir "$proj"
cd "$proj"
git init -q -b main .

case $mode in
framework)
    # A hook repository holding this checkout's .pre-commit-hooks.yaml,
    # referenced by path and commit like any published hook repo.
    hooks="$tmp/hooks-repo"
    mkdir "$hooks"
    cp "$src/.pre-commit-hooks.yaml" "$hooks/"
    (cd "$hooks" && git init -q -b main . && git add .pre-commit-hooks.yaml && git commit -q -m hooks)
    rev=$(cd "$hooks" && git rev-parse HEAD)
    cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: iampc
YAML
    git add .pre-commit-config.yaml
    git commit -q --no-verify -m "pre-commit config"
    pre-commit install >/dev/null
    ;;
git-hook)
    ln -s "$src/tools/git-pre-commit" .git/hooks/pre-commit
    echo "# scratch" >README
    git add README
    git commit -q --no-verify -m init
    ;;
*) fail "unknown mode $mode" ;;
esac

mkdir -p policies drafts
cat >policies/admin.json <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}
  ]
}
JSON
cat >good.json <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::example-reports/monthly/*"
    }
  ]
}
JSON

# 1. A policy granting every action on every resource is rejected.
before=$(commits)
git add policies/admin.json
if git commit -q -m "add admin policy" >"$tmp/out" 2>&1; then
    cat "$tmp/out"
    fail "$mode: the admin policy was committed"
fi
grep -q "policies/admin.json:4:.*\[admin-access, [a-z]*\]" "$tmp/out" || { cat "$tmp/out"; fail "$mode: no located admin-access finding"; }
[ "$(commits)" = "$before" ] || fail "$mode: a commit was created"

# 2. The hook judges what is staged: fixing only the working tree is not enough.
cp good.json policies/admin.json
if [ "$mode" = git-hook ]; then
    if git commit -q -m "still staged admin" >"$tmp/out" 2>&1; then
        fail "git-hook: checked the working tree instead of the index"
    fi
fi

# 3. A scoped policy is accepted.
git add policies/admin.json
git commit -q -m "scoped policy" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "$mode: the good policy was rejected"; }
[ "$(commits)" = "$((before + 1))" ] || fail "$mode: the good policy was not committed"
git show --stat HEAD | grep -q "policies/admin.json" || fail "$mode: wrong commit content"

# 4. The repository's .iampc.json: ignored drafts pass, failOn is honoured.
cat >.iampc.json <<'JSON'
{
  "ignore": ["drafts/"],
  "failOn": "error"
}
JSON
cat >"drafts/wip policy.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
JSON
git add .iampc.json "drafts/wip policy.json"
git commit -q -m "draft and config" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "$mode: an ignored draft was rejected"; }
# failOn error: security findings alone no longer block...
mkdir -p teams
cat >teams/passrole.json <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
JSON
git add teams/passrole.json
git commit -q -m "passrole" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "$mode: failOn error did not apply"; }
# ...but an error (an invalid action) does.
cat >teams/broken.json <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iamPassRole", "Resource": "*"}]}
JSON
git add teams/broken.json
if git commit -q -m "broken" >"$tmp/out" 2>&1; then
    fail "$mode: an invalid action was committed"
fi
grep -q "teams/broken.json:1:.*\\[invalid-action, [a-z]*\\]" "$tmp/out" || { cat "$tmp/out"; fail "$mode: no invalid-action finding"; }

# 5. A broken config rejects the commit with a located error, even when
#    it is the only file in the commit.
git reset -q teams/broken.json
rm teams/broken.json
printf '{\n  "failOn": "eror"\n}\n' >.iampc.json
git add .iampc.json
if git commit -q -m "bad config" >"$tmp/out" 2>&1; then
    fail "$mode: a broken .iampc.json was accepted"
fi
grep -q "\.iampc\.json:2:13: error: 'failOn' takes" "$tmp/out" || { cat "$tmp/out"; fail "$mode: config error not located"; }
echo "ok: $mode"
