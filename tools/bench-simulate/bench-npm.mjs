// bench-npm.mjs POLICIES.json REQUESTS.jsonl [N] - the same requests through
// @cloud-copilot/iam-simulate (runSimulation, which also validates its
// input: the unsafe entry point cannot take raw resource policies), single
// thread. Also counts decisions.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'x.js'))
const { runSimulation } = await import(require.resolve('@cloud-copilot/iam-simulate'))
const [pfile, rfile, nArg] = process.argv.slice(2)
const p = JSON.parse(fs.readFileSync(pfile, 'utf8'))
const n = Number(nArg ?? 20000)
const lines = fs.readFileSync(rfile, 'utf8').split('\n').filter(Boolean).slice(0, n)
const base = {
  identityPolicies: p.identityPolicies.map((policy, i) => ({ name: `id${i}`, policy })),
  permissionBoundaryPolicies: p.permissionBoundary ? [{ name: 'pb', policy: p.permissionBoundary }] : undefined,
  serviceControlPolicies: (p.scps ?? []).map((l, i) => ({ orgIdentifier: `l${i}`, policies: l.map((policy, k) => ({ name: `s${i}${k}`, policy })) })),
  resourceControlPolicies: [],
  resourcePolicy: p.resourcePolicy,
}
const tally = {}
const t0 = process.hrtime.bigint()
for (const line of lines) {
  const r = JSON.parse(line)
  const sim = { ...base, request: { principal: r.principal, action: r.action,
    resource: { resource: r.resource, accountId: '111111111111' }, contextVariables: r.context ?? {} } }
  const res = await runSimulation(sim, {})
  const d = res.resultType === 'error' ? 'error' : res.overallResult
  tally[d] = (tally[d] ?? 0) + 1
}
const dt = Number(process.hrtime.bigint() - t0) / 1e9
console.log(`${lines.length} requests: ${JSON.stringify(tally)}`)
console.log(`1 thread: ${dt.toFixed(3)} s, ${(lines.length / dt).toFixed(0)} req/s`)
