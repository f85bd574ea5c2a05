// Regenerates `src/data/stories260k-tile.json`, the small real tile the format editor draws: the
// top-left 8×8 block of `layers.0.wq` from `../shared/data/stories260K.bin` (MIT, Andrej Karpathy;
// see src/data/README.md), magnitude-pruned to 50% over the whole matrix first, so the zeros are
// the ones a real 50% pruning leaves. Only 64 numbers ship in the site, not the 1 MB checkpoint.
//   pnpm --filter @snipsnap/web tile           (writes the file)
//   pnpm --filter @snipsnap/web tile --check   (exits 1 when the committed file differs)
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeTile } from './tile-source.ts'

const here = import.meta.dirname
const source = path.resolve(here, '..', '..', '..', '..', 'shared', 'data', 'stories260K.bin')
const target = path.resolve(here, '..', 'src', 'data', 'stories260k-tile.json')
const text = `${JSON.stringify(makeTile(new Uint8Array(readFileSync(source))), null, 1)}\n`
if (process.argv.includes('--check')) {
  const same = readFileSync(target, 'utf8') === text
  process.stdout.write(same ? 'tile is up to date\n' : `tile differs from ${source}; run pnpm --filter @snipsnap/web tile\n`)
  process.exitCode = same ? 0 : 1
} else {
  writeFileSync(target, text)
  process.stdout.write(`wrote ${target}\n`)
}
