// Public API of @snipsnap/cost (work in progress).
export {}
