// validate.cjs - check SARIF files against the SARIF 2.1.0 JSON schema
// (draft-04, as published) plus the cross-references the schema can't
// express. Run through tools/validate-sarif, which installs the pinned
// packages of package-lock.json; needs no network once installed.
'use strict';
const fs = require('fs');

const Ajv = require('ajv-draft-04').default;
const addFormats = require('ajv-formats').default;
// @microsoft/jest-sarif ships the 2.1.0 schema (rtm.5, the text that became
// the OASIS standard); no package ships the OASIS file under its own name.
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

// The schema's "language" pattern has a stray ']' that is an error under the
// regexp u flag (Ajv's default) but valid, and meant, without it.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

// What GitHub code scanning relies on beyond the schema.
function crossChecks(log) {
  const errs = [];
  (log.runs || []).forEach((run, r) => {
    const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
    (run.results || []).forEach((res, i) => {
      const at = `/runs/${r}/results/${i}`;
      if (res.ruleIndex !== undefined) {
        const rule = rules[res.ruleIndex];
        if (!rule) errs.push(`${at}/ruleIndex ${res.ruleIndex} is out of range`);
        else if (res.ruleId !== undefined && rule.id !== res.ruleId)
          errs.push(`${at}/ruleId '${res.ruleId}' is not rules[${res.ruleIndex}].id '${rule.id}'`);
      }
      (res.locations || []).forEach((loc, k) => {
        const reg = loc.physicalLocation && loc.physicalLocation.region;
        if (reg && reg.endLine !== undefined && reg.endLine < reg.startLine)
          errs.push(`${at}/locations/${k}/physicalLocation/region ends before it starts`);
      });
    });
  });
  return errs;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: validate-sarif FILE.sarif... (- for stdin)\n');
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  let log;
  try {
    log = JSON.parse(fs.readFileSync(f === '-' ? 0 : f, 'utf8'));
  } catch (e) {
    process.stderr.write(`${f}: ${e.message}\n`);
    failed++;
    continue;
  }
  const errs = [];
  if (!validate(log))
    for (const e of validate.errors) errs.push(`${e.instancePath || '/'} ${e.message}` +
      (e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''));
  errs.push(...crossChecks(log));
  if (errs.length) {
    failed++;
    for (const e of errs) process.stderr.write(`${f}: ${e}\n`);
  } else {
    process.stdout.write(`${f}: valid SARIF 2.1.0\n`);
  }
}
process.exit(failed ? 1 : 0);
