// Public API of @snipsnap/format (filled in by the format work).
export const FORMAT_PACKAGE = '@snipsnap/format'
