// Public API of @snipsnap/workloads (work in progress).
export {}
