// Arbitraries and conformance suites of @snipsnap/cost (work in progress).
export {}
