#!/usr/bin/env node
// Prints the CI closing line `N passed, N failed[, N skipped]` from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.vitest-results.json'
if (!existsSync(file)) {
  console.log('0 passed, 0 failed')
  process.exit(1)
}
const report = JSON.parse(readFileSync(file, 'utf8'))
const passed = report.numPassedTests ?? 0
// Suites that fail to load (syntax or import errors) have no test entries: count each as a failure.
const failedSuites = (report.testResults ?? []).filter(
  (suite) => suite.status === 'failed' && (suite.assertionResults ?? []).length === 0,
).length
const failed = (report.numFailedTests ?? 0) + failedSuites
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
