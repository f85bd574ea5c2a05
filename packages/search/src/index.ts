// Public API of @snipsnap/search (work in progress).
export {}
