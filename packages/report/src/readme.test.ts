// The README's example, kept runnable (its code block, evaluated as written).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import * as report from './index'

it('runs the README example and prints what it says', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  expect(code).toContain("from '@snipsnap/report'")
  const body = code.replace(/^import .*$/m, '')
  const printed: unknown[][] = []
  // The example's only free names are the package's exports and console.
  new Function('report', 'console', `const { ${Object.keys(report).join(', ')} } = report\n${body}`)(report, { log: (...a: unknown[]) => printed.push(a) })
  expect(printed).toEqual([[true, 'svg', true]])
})
