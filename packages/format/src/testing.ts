// Conformance suite and arbitraries for format primitives (filled in by the format work).
export const FORMAT_TESTING = '@snipsnap/format/testing'
