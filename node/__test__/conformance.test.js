// The conformance corpus (tests/cases) through the Node API: iamkit-conformance emits it as one
// call stream; every line is answered through call, new PolicySet / Account.fromJson and their
// generic .call; iamkit-conformance checks the answers ("node: N passed, N failed").
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const iamkit = require('..')

const ROOT = path.join(__dirname, '..', '..')

/** Runs iamkit-conformance: $IAMKIT_CONFORMANCE (set by scripts/test-all.sh), else cargo run. */
function conformance(...args) {
  const exe = process.env.IAMKIT_CONFORMANCE
  const [cmd, argv] = exe ? [exe, args] : ['cargo', ['run', '-q', '-p', 'iamkit-conformance', '--', ...args]]
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 })
  assert.equal(r.error, undefined, `cannot run ${cmd}: ${r.error}`)
  return r
}

/** The outcome of `f`: `{answer}`, or `{error}` (the wire error of the IamkitError it threw). */
function outcome(f) {
  try {
    return { answer: f() }
  } catch (e) {
    assert.ok(e instanceof iamkit.IamkitError, `not an IamkitError: ${e && e.stack}`)
    return { error: e.toJSON() }
  }
}

// The Node API refuses an input value that is not an object itself (IAM_INVALID_ARGUMENT, before
// the wire sees it); the corpus's inputs of a refused shape (an array for an object) are given as
// JSON text instead, so that the wire's answer is what is checked.
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
const given = (v) => (isObject(v) ? v : JSON.stringify(v))

/** Opens a handle from JSON text through the addon itself (the API opens an account only from
 *  its members), with its error as an IamkitError. */
function openText(kind, text) {
  const native = require('../native.js')
  let h
  try {
    h = new native.NativeHandle(kind, text)
  } catch (e) {
    const w = JSON.parse(e.message)
    throw new iamkit.IamkitError(w.code, w.message, w.location)
  }
  return { call: (name, input) => JSON.parse(h.call(name, typeof input === 'string' ? input : JSON.stringify(input))) }
}

const OPEN = {
  policySet: (input) => new iamkit.PolicySet(given(input)),
  account: (input) => {
    if (!isObject(input)) return openText('account', JSON.stringify(input))
    const { details, ...options } = input
    return iamkit.Account.fromJson(details, options)
  },
  organization: (input) => {
    if (!isObject(input) || Object.keys(input).join() !== 'path') return openText('organization', JSON.stringify(input))
    return iamkit.Organization.open(input.path)
  },
}

test('the conformance corpus, through call and the handles', () => {
  const emitted = conformance('emit')
  assert.equal(emitted.status, 0, emitted.stderr)
  const handles = new Map()
  const answers = []
  for (const line of emitted.stdout.split('\n').filter((l) => l.trim())) {
    const m = JSON.parse(line)
    if (m.open !== undefined) {
      handles.set(m.open, outcome(() => OPEN[m.kind](m.input)))
      continue
    }
    const h = m.on === undefined ? null : handles.get(m.on)
    const got = h === null ? outcome(() => iamkit.call(m.call, given(m.input)))
      : h.error ? h
        : outcome(() => h.answer.call(m.call, given(m.input)))
    answers.push(JSON.stringify({ id: m.id, ...got }))
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iamkit-node-')), 'answers.jsonl')
  fs.writeFileSync(file, answers.join('\n') + '\n')
  const checked = conformance('check', '--label', 'node', file)
  console.log(checked.stdout.trim().split('\n').pop())
  assert.equal(checked.status, 0, checked.stdout + checked.stderr)
})
