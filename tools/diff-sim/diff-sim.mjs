#!/usr/bin/env node
// diff-sim.mjs - differential test of `iampc simulate` against the pinned
// @cloud-copilot/iam-simulate (package.json: exactly 0.1.173, test-only).
//
//   node diff-sim.mjs [--iampc PATH] [--generate N] [--seed S] [--keep DIR] [SCENARIO|DIR]...
//
// Every scenario (given files/directories, plus N generated ones) is run
// through both simulators; decisions are compared. A divergence is "known"
// when known-divergences.json explains it (see there for the reasons), or when
// the scenario carries "oracleSays" equal to the oracle's answer (the case
// sets record documented disagreements that way). Exit status 1 when an
// unexplained divergence remains, 2 on harness errors.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { anonymousPrincipal, runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
let iampc = path.join(here, '../../build/cli/iampc')
let generate = 0
let seed = 1
let keep = null
const inputs = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--iampc') iampc = args[++i]
  else if (args[i] === '--generate') generate = Number(args[++i])
  else if (args[i] === '--seed') seed = Number(args[++i])
  else if (args[i] === '--keep') keep = args[++i]
  else inputs.push(args[i])
}

// ---- scenarios --------------------------------------------------------------
function collect(p, out) {
  const st = fs.statSync(p)
  if (st.isDirectory()) {
    for (const f of fs.readdirSync(p).sort()) if (!f.startsWith('.')) collect(path.join(p, f), out)
  } else if (p.endsWith('.json')) {
    out.push({ file: p, scenario: JSON.parse(fs.readFileSync(p, 'utf8')) })
  }
}
const scenarios = []
for (const p of inputs) collect(p, scenarios)

// Deterministic generator: small pools of realistic pieces, so both engines
// accept the input (real actions, matching resource types).
function rng(seed) { // mulberry32
  let a = (seed * 0x9e3779b9) >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = rng(seed)
const pick = (a) => a[Math.floor(rand() * a.length)]
const A = '111111111111', B = '222222222222'
const principals = [
  `arn:aws:iam::${A}:user/alice`, `arn:aws:sts::${A}:assumed-role/app/s1`,
  `arn:aws:iam::${A}:role/app`, `arn:aws:iam::${B}:user/bob`, `arn:aws:sts::${B}:assumed-role/ext/x`,
  `arn:aws:sts::${A}:federated-user/alice`, '*', 'logs.amazonaws.com',
]
const requests = [
  ['s3:GetObject', 'arn:aws:s3:::data/team/a.txt'], ['s3:PutObject', 'arn:aws:s3:::data/home/alice/n'],
  ['s3:ListBucket', 'arn:aws:s3:::data'], ['s3:ListAllMyBuckets', '*'],
  ['sqs:SendMessage', `arn:aws:sqs:us-east-1:${A}:q1`], ['sqs:ReceiveMessage', `arn:aws:sqs:eu-west-1:${A}:q2`],
  ['dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${A}:table/orders`],
  ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${A}:secret:db-AbCdEf`],
  ['kms:Decrypt', `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
]
const actionPats = ['*', 's3:*', 'kms:Decrypt', 'kms:*', 's3:Get*', 's3:GetObject', 's3:*Object', 'sqs:*', 'sqs:Send*', 'dynamodb:GetItem',
  'secretsmanager:*', 's3:List*', 'ec2:*']
const resourcePats = ['*', 'arn:aws:s3:::data/*', 'arn:aws:s3:::data', 'arn:aws:s3:::data/team/*',
  'arn:aws:s3:::data/home/${aws:username}/*', `arn:aws:sqs:*:${A}:*`, `arn:aws:sqs:us-east-1:${A}:q1`,
  `arn:aws:dynamodb:*:${A}:table/*`, 'arn:aws:secretsmanager:*:*:secret:db-*']
const conds = [
  { Bool: { 'aws:SecureTransport': 'true' } },
  { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
  { StringLike: { 'aws:userid': '*:s1' } },
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
  { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'app'] } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['secret'] } },
  { Null: { 'aws:TokenIssueTime': 'true' } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/*` } },
  { StringEquals: { 'aws:PrincipalAccount': A } },
  { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'RED' } },
  { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': ['RED', 'Green'] } },
  { StringNotLike: { 'aws:userid': ['AIDA*', '*:admin'] } },
  { StringLike: { 'aws:PrincipalTag/team': 'r?d' } },
  { StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/other}' } },
  { StringLike: { 'aws:userid': '*:${aws:username}' } },
  { StringEqualsIfExists: { 'aws:RequestedRegion': 'us-east-1' } },
  { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': ['60', '7200.0'] } },
  { NumericNotEquals: { 'aws:MultiFactorAuthAge': '60' } },
  { DateGreaterThan: { 'aws:TokenIssueTime': '1735689600' } },
  { DateNotEquals: { 'aws:CurrentTime': '2025-06-01T02:00:00+02:00' } },
  { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/adm*` } },
  { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:*:${A}:topic` } },
  { 'ForAllValues:StringLike': { 'aws:TagKeys': ['e*', 'a?p'] } },
  { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } },
  { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } },
  { StringEquals: { 'aws:TagKeys': 'env' } },
  { Null: { 'aws:TagKeys': 'false' } },
  { IpAddress: { 'aws:SourceIp': ['2001:db8::/32', '198.51.100.0/30'] } },
  { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
]
const contexts = [
  ['aws:SecureTransport', () => pick(['true', 'false'])],
  ['aws:MultiFactorAuthPresent', () => pick(['true', 'false'])],
  ['aws:PrincipalTag/team', () => pick(['red', 'blue'])],
  ['aws:RequestedRegion', () => pick(['us-east-1', 'ap-south-1'])],
  ['aws:SourceIp', () => pick(['203.0.113.9', '198.51.100.1'])],
  ['aws:MultiFactorAuthAge', () => pick(['60', '7200'])],
  ['aws:CurrentTime', () => pick(['2025-06-01T00:00:00Z', '2026-06-01T00:00:00Z'])],
  ['aws:TagKeys', () => pick([['env'], ['env', 'x'], ['secret'], []])],
  ['aws:TokenIssueTime', () => pick(['2025-06-01T00:00:00Z', '2024-06-01T00:00:00Z'])],
  ['aws:PrincipalTag/other', () => pick(['red', 'blue'])],
  ['aws:userid', () => pick(['AIDAEXAMPLE', 'AROAEXAMPLE:s1', 'AROAEXAMPLE:admin'])],
  ['aws:PrincipalArn', () => pick([`arn:aws:iam::${A}:role/app`, `arn:aws:iam::${A}:role/admin`])],
  ['aws:SourceArn', () => pick([`arn:aws:sns:us-east-1:${A}:topic`, 'not-an-arn'])],
  ['aws:PrincipalAccount', () => pick([A, B])],
]
let cur = null // the request being generated: half the statements target it
function stmt(resourcePolicy) {
  const s = { Effect: rand() < 0.25 ? 'Deny' : 'Allow' }
  const aimed = cur && rand() < 0.5
  if (rand() < 0.1) s.NotAction = pick(actionPats)
  else s.Action = aimed ? pick([cur[0], cur[0].split(':')[0] + ':*']) : pick(actionPats)
  if (rand() < 0.1) s.NotResource = pick(resourcePats)
  else s.Resource = aimed ? pick([cur[1], '*']) : pick(resourcePats)
  const who = pick(['*', { AWS: A }, { AWS: B }, { AWS: `arn:aws:iam::${A}:role/app` },
    { AWS: [`arn:aws:iam::${A}:user/alice`, `arn:aws:sts::${A}:federated-user/alice`] },
    { AWS: `arn:aws:iam::${A}:root` }, { AWS: `arn:aws:sts::${A}:federated-user/alice` },
    { AWS: `arn:aws:sts::${A}:assumed-role/app/s1` }, { AWS: `arn:aws:iam::${B}:user/bob` },
    { AWS: `arn:aws:iam::${A}:user/alice` }, { Service: 'logs.amazonaws.com' }])
  // NotPrincipal only with Deny (iam-semantics 1.4).
  if (resourcePolicy && s.Effect === 'Deny' && rand() < 0.2) s.NotPrincipal = who === '*' ? { AWS: A } : who
  else if (resourcePolicy) s.Principal = who
  if (rand() < 0.4) s.Condition = pick(conds)
  return s
}
const policy = (n, rp) => ({ Version: '2012-10-17', Statement: Array.from({ length: n }, () => stmt(rp)) })
function generated(i) {
  const principal = pick(principals)
  const [action, resource] = pick(requests)
  cur = [action, resource]
  const context = {}
  for (const [k, f] of contexts) if (rand() < 0.3) context[k] = f()
  if (principal.includes(':user/')) context['aws:username'] = principal.split('/').pop()
  const s = { name: `generated ${seed}-${i}`, request: { principal, action, resource, resourceAccount: A, context } }
  const iamCaller = principal.startsWith('arn:')
  const session = principal.includes(':sts:')
  if (iamCaller) {
    s.identityPolicies = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => policy(1 + Math.floor(rand() * 3), false))
    if (rand() < 0.3) s.permissionBoundary = policy(1 + Math.floor(rand() * 2), false)
    if (session && rand() < 0.2) s.sessionPolicy = policy(1, false)
    if (rand() < 0.3) s.scps = [[{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }],
      [policy(1 + Math.floor(rand() * 2), false)]]
  }
  if (rand() < (iamCaller ? 0.5 : 0.9)) s.resourcePolicy = policy(1 + Math.floor(rand() * 2), true)
  if (rand() < 0.2) {
    const deny = { Effect: 'Deny', Principal: '*', Action: pick(['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*']), Resource: '*' }
    if (rand() < 0.7) deny.Condition = pick(conds)
    s.rcps = [[], [{ Version: '2012-10-17', Statement: deny }]]
  }
  return s
}
for (let i = 0; i < generate; i++) scenarios.push({ file: `generated/${String(i).padStart(5, '0')}.json`, scenario: generated(i) })

// ---- iampc --------------------------------------------------------------------
const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'diff-sim-'))
fs.mkdirSync(dir, { recursive: true })
scenarios.forEach((s, i) => {
  s.tmp = path.join(dir, `${String(i).padStart(6, '0')}.json`)
  fs.writeFileSync(s.tmp, JSON.stringify(s.scenario))
})
let out = ''
try {
  out = execFileSync(iampc, ['simulate', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] })
} catch (e) {
  out = e.stdout ?? '' // exit 1/2 still prints every decision
}
const ours = new Map()
for (const line of out.split('\n').filter(Boolean)) {
  const j = JSON.parse(line)
  ours.set(j.file, j.error ? 'error' : j.decision)
}

// ---- the oracle ---------------------------------------------------------------
const names = { Allowed: 'allow', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' }
function accountOf(req) {
  if (req.resourceAccount) return req.resourceAccount
  const f = req.resource.split(':')
  if (f.length >= 6 && /^\d{12}$/.test(f[4])) return f[4]
  const p = req.principal.split(':')
  return p.length >= 6 ? p[4] : ''
}
function toSimulation(s) {
  const r = s.request
  const anon = r.principal === '*' || r.principal === 'anonymous'
  const levels = (lv, kind) => (lv ?? []).map((ps, i) => ({
    orgIdentifier: `${kind}[${i}]`, policies: ps.map((policy, k) => ({ name: `${kind}[${i}][${k}]`, policy })) }))
  return {
    request: { principal: anon ? anonymousPrincipal : r.principal, action: r.action,
      resource: { resource: r.resource, accountId: accountOf(r) }, contextVariables: r.context ?? {} },
    identityPolicies: (s.identityPolicies ?? []).map((policy, i) => ({ name: `identityPolicies[${i}]`, policy })),
    permissionBoundaryPolicies: s.permissionBoundary ? [{ name: 'permissionBoundary', policy: s.permissionBoundary }] : undefined,
    sessionPolicy: s.sessionPolicy,
    resourcePolicy: s.resourcePolicy,
    serviceControlPolicies: levels(s.scps, 'scps'),
    resourceControlPolicies: levels(s.rcps, 'rcps'),
  }
}
async function oracle(s) {
  const sim = toSimulation(s)
  try {
    const r = await runSimulation(sim, {})
    if (r.resultType !== 'error') return { decision: names[r.overallResult] ?? r.overallResult, validated: true }
    // Validation (context-key types, resource types, ...) rejected the input:
    // evaluate without it and say so.
    const u = runUnsafeSimulation(sim, {})
    return { decision: names[u] ?? String(u), validated: false, why: r.errors?.message }
  } catch (e) {
    return { decision: 'error', validated: false, why: String(e.message ?? e) }
  }
}

// ---- compare -----------------------------------------------------------------
const known = JSON.parse(fs.readFileSync(path.join(here, 'known-divergences.json'), 'utf8')).divergences
// With an "option", the explanation must be confirmed: iampc run with that
// --option on the scenario has to reproduce the oracle's decision. With a
// "transform", the oracle run on the rewritten scenario must give iampc's.
function withOption(s, option) {
  try {
    const o = execFileSync(iampc, ['simulate', '--format', 'json', '--option', option, s.tmp],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return JSON.parse(o).decision
  } catch (e) {
    return e.stdout ? JSON.parse(e.stdout).decision : 'error'
  }
}
// Oracle-side confirmations: rewrite the scenario so that the oracle's quirk
// cannot apply; the explanation holds only if the oracle then agrees.
const transforms = {
  'epoch-to-iso': (text) => text.replace(/("Date[A-Za-z]*":\{"[^"]+":")(-?[0-9]+)"/g,
    (_, pre, n) => `${pre}${new Date(Number(n) * 1000).toISOString().replace('.000Z', 'Z')}"`),
}
async function confirmed(s, k, mine) {
  if (k.option && withOption(s, k.option) !== (await oracle(s.scenario)).decision) return false
  if (k.transform) {
    const o = await oracle(JSON.parse(transforms[k.transform](JSON.stringify(s.scenario))))
    if (o.decision !== mine) return false
  }
  return true
}
async function explain(s, mine, theirs) {
  if (s.scenario.oracleSays && s.scenario.oracleSays === theirs && s.scenario.expect === mine)
    return 'case set records this oracle disagreement (oracleSays)'
  const text = JSON.stringify(s.scenario)
  for (const k of known) {
    if (!new RegExp(k.match).test(text) || (k.ours && k.ours !== mine) || (k.oracle && k.oracle !== theirs))
      continue
    if (!(await confirmed(s, k, mine)))
      continue
    const how = k.option ? ` (confirmed: iampc --option ${k.option} gives the oracle's answer)`
      : k.transform ? ` (confirmed: the oracle agrees after ${k.transform})` : ''
    return `${k.id}${how}: ${k.reason}`
  }
  return null
}
let agree = 0, explained = 0, unexplained = 0, unvalidated = 0
const tally = {}
for (const s of scenarios) {
  const mine = ours.get(s.tmp) ?? 'missing'
  tally[mine] = (tally[mine] ?? 0) + 1
  const o = await oracle(s.scenario)
  if (!o.validated) unvalidated++
  if (mine === o.decision) { agree++; continue }
  const why = await explain(s, mine, o.decision)
  if (why) explained++
  else unexplained++
  console.log(`${why ? 'known  ' : 'DIFFER '} ${s.file}: iampc ${mine}, iam-simulate ${o.decision}` +
    `${o.validated ? '' : ' (oracle input not validated)'}${why ? ` -- ${why}` : ''}`)
}
console.log(`${scenarios.length} scenarios: ${agree} agree, ${explained} known divergences, ` +
  `${unexplained} unexplained, ${unvalidated} run without oracle validation; iampc decisions ${JSON.stringify(tally)}`)
if (!keep) fs.rmSync(dir, { recursive: true, force: true })
process.exit(unexplained ? 1 : 0)
