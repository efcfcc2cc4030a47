// iamkit from Node for bench/compare.sh (the addon built by `npm run build` in node/).
//
//   node bench/node_iamkit.mjs report REPORT.csv REPS
//       parseCredentialReport(text) on the report's text (already read): the median of REPS runs,
//       in seconds (row 8)
//   node bench/node_iamkit.mjs validate DOCS.jsonl REPS
//       validatePolicy(text) on each document (one JSON text a line): the median of REPS runs of
//       the whole set (row 4, iamkit from Node beside iam-simulate's parser in the same runtime)
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const iamkit = require('../node')
const [mode, file, repsArg] = process.argv.slice(2)
const reps = Number(repsArg ?? 3)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e9

function timed(fn) {
  const times = []
  let out
  for (let r = 0; r < reps; r++) {
    const t = now()
    out = fn()
    times.push(now() - t)
  }
  return { seconds: median(times), runs: times, out }
}

if (mode === 'report') {
  const text = readFileSync(file, 'utf8')
  const { seconds, runs, out } = timed(() => iamkit.parseCredentialReport(text))
  console.log(JSON.stringify({ seconds, runs, rows: out.rows?.length ?? null }))
} else if (mode === 'validate') {
  const docs = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())
  const { seconds, runs, out } = timed(() => docs.filter((d) => iamkit.validatePolicy(d).valid).length)
  console.log(JSON.stringify({ policies: docs.length, seconds, runs, valid: out }))
} else {
  throw new Error(`unknown mode ${mode}`)
}
