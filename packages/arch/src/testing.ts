// Arbitraries and conformance suites of @snipsnap/arch (work in progress).
export {}
