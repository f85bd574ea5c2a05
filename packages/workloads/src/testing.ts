// Arbitraries and conformance suites of @snipsnap/workloads (work in progress).
export {}
