// Arbitraries and conformance suites of @snipsnap/timeloop (work in progress).
export {}
