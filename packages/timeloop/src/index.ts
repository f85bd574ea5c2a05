// Public API of @snipsnap/timeloop (work in progress).
export {}
