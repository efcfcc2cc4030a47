// iamkit from Node for bench/compare.sh (the addon built by `npm run build` in node/).
//
//   node --expose-gc bench/node_iamkit.mjs report REPORT.csv REPS
//       parseCredentialReport(text) on the report's text (already read): the median of REPS runs,
//       in seconds (row 8); beside it, the same with every row's date cells read (datesSeconds)
//       and with every value read (allCellsSeconds), the rows being lazy
//   node --expose-gc bench/node_iamkit.mjs validate DOCS.jsonl REPS
//       validatePolicy(text) on each document (one JSON text a line): the median of REPS runs of
//       the whole set (row 4, iamkit from Node beside iam-simulate's parser in the same runtime)
//
// With --expose-gc, each run starts after a collection of the previous run's values, and after a
// turn of the event loop, in which Node runs the finalizers that free the native memory of the
// collected values (as Python frees it at once): without it, every run after the first would
// allocate fresh pages while the previous runs' reports wait for their finalizers.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
const iamkit = require('../node')
const [mode, file, repsArg] = process.argv.slice(2)
const reps = Number(repsArg ?? 3)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e9

const turn = () => new Promise((resolve) => setImmediate(resolve))

async function timed(fn) {
  const times = []
  let out
  for (let r = 0; r < reps; r++) {
    // the previous run's garbage is collected before the clock starts (run with --expose-gc), and
    // its native memory freed by the finalizers run in the next turn, as Python frees it at once:
    // each run times one parse, not the collection of the ones before
    out = undefined
    globalThis.gc?.()
    await turn()
    globalThis.gc?.()
    await turn()
    const t = now()
    out = fn()
    times.push(now() - t)
  }
  return { seconds: median(times), runs: times, out }
}

if (mode === 'report') {
  const text = readFileSync(file, 'utf8')
  const { seconds, runs, out } = await timed(() => iamkit.parseCredentialReport(text))
  // the rows are lazy: the same parse with every row's every date cell read, and with every row
  // made (every value), timed beside it
  const dates = await timed(() => {
    const report = iamkit.parseCredentialReport(text)
    for (const row of report.rows) {
      void row.userCreationTime, row.passwordLastUsed, row.passwordLastChanged, row.passwordNextRotation
      for (const k of row.accessKeys) void k.lastRotated, k.lastUsedDate
      for (const c of row.certs) void c.lastRotated
    }
    return report
  })
  const all = await timed(() => {
    const report = iamkit.parseCredentialReport(text)
    let n = 0
    for (const row of report.rows) for (const k in row) if (row[k] !== undefined) n++
    return n
  })
  console.log(JSON.stringify({ seconds, runs, rows: out.rows?.length ?? null, datesSeconds: dates.seconds, allCellsSeconds: all.seconds }))
} else if (mode === 'validate') {
  const docs = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())
  const { seconds, runs, out } = await timed(() => docs.filter((d) => iamkit.validatePolicy(d).valid).length)
  console.log(JSON.stringify({ policies: docs.length, seconds, runs, valid: out }))
} else {
  throw new Error(`unknown mode ${mode}`)
}
