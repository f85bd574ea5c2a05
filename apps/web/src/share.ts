// The share link: the study as JSON, deflated (the browser's CompressionStream) and base64url
// encoded in the URL's hash, so a link holds the exact study, dropped Timeloop files included,
// and no server sees it.
import { parseStudy, type Study } from './study'

const toBase64Url = (bytes: Uint8Array): string => {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const fromBase64Url = (text: string): Uint8Array => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

const pipe = async (bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> =>
  new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream)).arrayBuffer())

/** `#study=…` for a study. */
export const encodeStudy = async (study: Study): Promise<string> =>
  `#study=${toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(study)), new CompressionStream('deflate-raw')))}`

/** The study in a hash, null when the hash holds none, or a message naming what is wrong. */
export const decodeStudy = async (hash: string): Promise<{ ok: true; study: Study } | { ok: false; message: string } | null> => {
  const match = /^#study=([A-Za-z0-9_-]+)$/.exec(hash)
  if (match === null) return null
  try {
    const json = new TextDecoder().decode(await pipe(fromBase64Url(match[1] ?? ''), new DecompressionStream('deflate-raw')))
    const parsed = parseStudy(JSON.parse(json))
    return parsed.ok ? parsed : { ok: false, message: `the shared link's study is invalid: ${parsed.message}` }
  } catch {
    return { ok: false, message: 'the shared link is damaged (it does not decode to a study); check that it was copied whole' }
  }
}
