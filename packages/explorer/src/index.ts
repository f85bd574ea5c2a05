// Public API of @snipsnap/explorer: the composition root (work in progress).
export {}
