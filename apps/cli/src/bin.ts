#!/usr/bin/env node
// Entry point: only hands argv to main and sets the exit code (changesets' bin.js pattern).
import { main } from './main'

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`snipsnap: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
