import { defineConfig } from 'tsup'
import { library } from '@snipsnap/tsup-config'

// The API names DOM types (Document, Element): the declarations reference the DOM library so a
// consumer compiled without "DOM" in `lib` (a Node program) still resolves them.
export default defineConfig({ ...library(['src/index.ts']), dts: { banner: '/// <reference lib="dom" />' } })
