// parseCredentialReport's lazy view: the same members and rows as the eager
// call('credentialReport') answer; `rows` is array-like (length, rows[i], at(i) with negative
// indices, iteration, slice, map, filter, forEach, toJSON) and read-only. An index out of range
// gives undefined, as arrays do; a report that cannot be read throws the eager call's IamkitError.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const iamkit = require('..')

const CASES = path.join(__dirname, '..', '..', 'tests', 'cases')
const HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'

/** A report with a root row and users whose cells cycle through values and special values. */
function generated(users) {
  const dates = ['2025-01-02T03:04:05+00:00', '2024-02-29T23:59:59-05:30', '2026-11-20 08:00:00Z', 'N/A', 'no_information', '2023-07-01T00:00:00.250+02:00']
  const lines = [HEADER, '<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,TRUE,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A']
  for (let i = 0; i < users; i++) {
    const d = (k) => dates[(i + k) % dates.length]
    const region = ['us-east-1', 'N/A', 'eu-west-3'][i % 3]
    lines.push([`user${i}`, `arn:aws:iam::111122223333:user/team${i % 7}/user${i}`, d(0), i % 2 ? 'false' : 'true', d(1), d(2), i % 4 ? 'N/A' : d(3),
      i % 3 === 0 ? 'false' : 'true', 'true', d(4), d(5), region, region !== 'N/A' ? 's3' : 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A',
      i % 5 === 0 ? 'false' : 'true', d(3), 'false', 'N/A'].join(','))
  }
  return lines.join('\n') + '\n'
}

/** The view against the eager answer: the same members, rows and values. */
function assertSame(view, report) {
  const eager = iamkit.call('credentialReport', { report })
  assert.deepEqual(view.toJSON(), eager)
  assert.deepEqual(JSON.parse(JSON.stringify(view)), eager)
  assert.deepEqual(Object.keys(view), Object.keys(eager))
  assert.equal(view.generatedTime, eager.generatedTime)
  assert.equal(view.rows.length, eager.rows.length)
  assert.deepEqual([...view.rows], eager.rows)
  eager.rows.forEach((row, i) => {
    assert.deepEqual(view.rows[i], row)
    assert.deepEqual(view.rows.at(i - eager.rows.length), row)
  })
}

test('the view equals the eager answer on the conformance inputs (and throws its errors)', () => {
  let n = 0
  for (const f of fs.readdirSync(CASES, { recursive: true }).filter((p) => p.endsWith('.jsonl'))) {
    for (const line of fs.readFileSync(path.join(CASES, f), 'utf8').split('\n').filter((l) => l.trim())) {
      const c = JSON.parse(line)
      if (c.call !== 'credentialReport' || c.input === null || typeof c.input !== 'object' || Array.isArray(c.input)) continue
      n++
      let eagerError = null
      try {
        iamkit.call('credentialReport', c.input)
      } catch (e) {
        eagerError = e
      }
      if (eagerError) {
        assert.throws(() => iamkit.parseCredentialReport(c.input.report), (e) => e instanceof iamkit.IamkitError && assert.deepEqual(e.toJSON(), eagerError.toJSON()) === undefined)
      } else {
        assertSame(iamkit.parseCredentialReport(c.input.report), c.input.report)
      }
    }
  }
  assert.ok(n >= 3, `${n} credentialReport cases`)
})

test('the view equals the eager answer on a generated report, as text, bytes and the SDK output', () => {
  const text = generated(300)
  assertSame(iamkit.parseCredentialReport(text), text)
  assertSame(iamkit.parseCredentialReport(Buffer.from(text)), text)
  const sdk = { Content: new Uint8Array(Buffer.from(text)), GeneratedTime: new Date('2026-11-20T09:00:00Z'), ReportFormat: 'text/csv', $metadata: {} }
  const view = iamkit.parseCredentialReport(sdk)
  assert.equal(view.generatedTime, '2026-11-20T09:00:00Z')
  assert.deepEqual(Object.keys(view), ['generatedTime', 'rows'])
  assertSame(view, sdk)
})

test('rows are array-like, lazy and read-only; out of range is undefined', () => {
  const view = iamkit.parseCredentialReport(generated(10))
  const all = view.rows.toJSON()
  const { rows } = view
  assert.equal(rows.length, 11)
  assert.equal(rows[11], undefined)
  assert.equal(rows.at(11), undefined)
  assert.equal(rows.at(-12), undefined)
  assert.equal(rows[-1], undefined)
  assert.equal(rows['1.5'], undefined)
  assert.deepEqual(rows.at(-1), all[10])
  assert.deepEqual(rows['3'], all[3])
  assert.ok(0 in rows && 10 in rows && !(11 in rows))
  assert.deepEqual(rows.slice(2, 5), all.slice(2, 5))
  assert.deepEqual(rows.slice(-3), all.slice(-3))
  assert.deepEqual(rows.slice(5, 2), [])
  assert.deepEqual(rows.map((r) => r.user), all.map((r) => r.user))
  assert.deepEqual(rows.filter((r) => r.isRoot), [all[0]])
  const seen = []
  rows.forEach((r, i) => seen.push([r.line, i]))
  assert.deepEqual(seen, all.map((r, i) => [r.line, i]))
  assert.deepEqual(Array.from(rows), all)
  // each read is a fresh object: changing one changes nothing else
  rows[1].user = 'changed'
  assert.equal(rows[1].user, 'user0')
  assert.throws(() => { 'use strict'; view.rows = [] }, TypeError)
  assert.equal(Object.prototype.toString.call(rows), '[object CredentialRows]')
})

test('rows outlive the report object', () => {
  let view = iamkit.parseCredentialReport(generated(5))
  const { rows } = view
  view = null
  if (global.gc) global.gc()
  assert.equal(rows.length, 6)
  assert.equal(rows[3].user, 'user2')
})

test('a report that cannot be read throws the eager call\'s IamkitError', () => {
  const text = generated(3).replace('user1,', ',')
  const codeOf = (f) => {
    try {
      f()
    } catch (e) {
      assert.ok(e instanceof iamkit.IamkitError)
      return e.toJSON()
    }
    assert.fail('no error')
  }
  const lazy = codeOf(() => iamkit.parseCredentialReport(text))
  assert.equal(lazy.code, 'IAM_REPORT_FORMAT')
  assert.deepEqual(lazy, codeOf(() => iamkit.call('credentialReport', { report: text })))
  for (const bad of [Buffer.from([0x75, 0xff]), '', '{"Content": 1}', { Content: 1 }]) {
    assert.deepEqual(codeOf(() => iamkit.parseCredentialReport(bad)), codeOf(() => iamkit.call('credentialReport', { report: bad })), String(bad))
  }
  for (const bad of [42, null, undefined]) {
    assert.equal(codeOf(() => iamkit.parseCredentialReport(bad)).code, 'IAM_INVALID_ARGUMENT')
  }
})
