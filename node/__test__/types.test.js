// index.d.ts over the generated contract.d.ts: types/check.ts, a program using call, PolicySet and
// Account with the generated types (and `@ts-expect-error` lines that must fail), compiles with
// tsc --strict.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const path = require('node:path')

test('types/check.ts compiles with tsc --strict against index.d.ts and contract.d.ts', () => {
  const tsc = require.resolve('typescript/bin/tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types', 'tsconfig.json')], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
})
