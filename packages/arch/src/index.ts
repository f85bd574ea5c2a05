// Public API of @snipsnap/arch (work in progress).
export {}
