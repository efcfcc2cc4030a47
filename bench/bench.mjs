// Per-call cost of iamkit from Node against the shared prepared policy set (bench/fixture.json),
// and the throughput of one batch call. Run: node bench/bench.mjs (after npm run build in node/);
// --per-call: the first two figures only, for bench/compare.sh.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const iamkit = require('../node')
const fixture = JSON.parse(readFileSync(new URL('./fixture.json', import.meta.url), 'utf8'))
const ps = new iamkit.PolicySet(fixture.policies)
const request = fixture.request
if (ps.evaluate(request).decision !== 'allowed') throw new Error('fixture should be allowed')

function perCall(fn, n = 200_000) {
  for (let i = 0; i < n / 10; i++) fn()
  let best = Infinity
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn()
    best = Math.min(best, Number(process.hrtime.bigint() - t) / n)
  }
  return best
}

const us = (ns) => `${(ns / 1000).toFixed(2)} µs/call`
const ev = perCall(() => ps.evaluate(request))
const de = perCall(() => ps.decide(request))
if (process.argv.includes('--per-call')) {
  console.log(`node PolicySet.evaluate(object): ${us(ev)}`)
  console.log(`node PolicySet.decide(object): ${us(de)}`)
  process.exit(0)
}
const ex = perCall(() => ps.evaluate(request).explain, 100_000)
const text = JSON.stringify(request)
const dt = perCall(() => ps.decide(text))
const js = perCall(() => ps.call('evaluate', text), 100_000)
const batch = Array(10_000).fill(request)
let best = Infinity
for (let r = 0; r < 5; r++) {
  const t = process.hrtime.bigint()
  ps.evaluateBatch(batch)
  best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9)
}
console.log(`node PolicySet.evaluate(object): ${us(ev)}`)
console.log(`node PolicySet.evaluate(object).explain (explanation read): ${us(ex)}`)
console.log(`node PolicySet.decide(object): ${us(de)}`)
console.log(`node PolicySet.decide(JSON text): ${us(dt)}`)
console.log(`node PolicySet.call('evaluate', JSON text): ${us(js)}`)
console.log(`node PolicySet.evaluateBatch(10000): ${Math.round(batch.length / best).toLocaleString('en')} requests/s`)

// the account model on the largest authorization-details sample, when it is beside the checkout
const sample = new URL('../../shared/data/authorization-details/cloudsplaining-example.json', import.meta.url)
let details = null
try { details = readFileSync(sample, 'utf8') } catch { /* not beside the checkout */ }
if (details !== null) {
  const load = perCall(() => iamkit.Account.fromJson(details), 50) / 1e6
  const acct = iamkit.Account.fromJson(details)
  const who = perCall(() => acct.whoCan('iam:CreateUser', '*'), 2_000) / 1e3
  console.log(`node Account.fromJson(largest sample): ${load.toFixed(1)} ms`)
  console.log(`node Account.whoCan(iam:CreateUser, *): ${who.toFixed(0)} µs`)
}

// the catalog: review (lint and summarize) every AWS managed policy, as JSON text
const managed = new URL('../../shared/data/managed-policies/managed-policies.jsonl', import.meta.url)
let lines = null
try { lines = readFileSync(managed, 'utf8').split('\n').filter((l) => l.trim()) } catch { /* not beside the checkout */ }
if (lines !== null) {
  const docs = lines.map((l) => JSON.stringify(JSON.parse(l).document))
  const all = perCall(() => docs.forEach((d) => iamkit.reviewPolicy(d)), 5) / 1e6
  console.log(`node reviewPolicy(each of ${docs.length} managed policies): ${all.toFixed(0)} ms in total`)
}
