// Arbitraries and conformance suites of @snipsnap/search (work in progress).
export {}
