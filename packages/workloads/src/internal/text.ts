// Text decoding without DOM or Node typings: TextDecoder exists in every runtime we target
// (Node ≥ 11, browsers, workers) but the library tsconfig has no DOM lib, so we declare the
// small part we use instead of pulling in either lib.

declare const TextDecoder: new (
  label?: string,
  options?: { readonly fatal?: boolean },
) => { decode(input: Uint8Array): string }

/** Decodes UTF-8, failing on invalid sequences (returns null instead of throwing). */
export const decodeUtf8 = (bytes: Uint8Array): string | null => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

/** Decodes Latin-1 (one byte per character), which never fails. */
export const decodeLatin1 = (bytes: Uint8Array): string => {
  let text = ''
  const chunk = 0x8000
  for (let start = 0; start < bytes.length; start += chunk) {
    text += String.fromCharCode(...bytes.subarray(start, start + chunk))
  }
  return text
}
