// Edge schemas (zod v4) for the written object form of a compression pattern.
import { strictKeysError } from '@snipsnap/core'
import { z } from 'zod'

/** A strict object whose unknown keys get "did you mean" messages. */
const strict = <TShape extends z.ZodRawShape>(shape: TShape) => z.strictObject(shape, { error: strictKeysError(Object.keys(shape)) })

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, _)')

/** Schema of one rank part: `{ dim: 'K', size?: 64 }`. */
export const RankPartSchema = strict({
  dim: name,
  size: z.number().int().min(1).optional(),
})

/** Schema of one rank: `{ primitive: 'CP', parts: [...], options?: { mb: 12 } }`. */
export const RankSpecSchema = strict({
  primitive: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be a primitive symbol such as UOP or CP'),
  parts: z.array(RankPartSchema).min(1),
  options: z.record(name, z.number().int().min(0)).optional(),
})

/** Schema of the object form of a compression pattern (outermost rank first). */
export const CompPatSchema = strict({
  ranks: z.array(RankSpecSchema).min(1),
})

/** Input type of {@link CompPatSchema}. */
export type CompPatInput = z.input<typeof CompPatSchema>
