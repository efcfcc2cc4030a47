// Reads the shared conformance corpus (tests/cases): a file holds one case, an array, or JSON lines.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const CASES = path.join(__dirname, '..', '..', 'tests', 'cases')

function readCases(file) {
  const text = fs.readFileSync(file, 'utf8')
  if (text.trimStart().startsWith('[')) return JSON.parse(text)
  const out = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    else if (c === '{') {
      if (depth++ === 0) start = i
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)))
  }
  return out
}

function corpus(area) {
  const dir = path.join(CASES, area)
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.jsonl?$/.test(f)).sort() : []
  const cases = files.flatMap((f) => readCases(path.join(dir, f)))
  if (cases.length === 0) throw new Error(`tests/cases/${area} is missing or empty`)
  return cases
}

module.exports = { corpus }
