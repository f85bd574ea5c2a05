// `@snipsnap/explorer/study`: the study spec, version 1 (what `snipsnap explore --spec` runs and
// what the web page reads from a dropped spec): one zod schema and one reader for both apps, so a
// spec is validated alike and its errors name the file, the line and the key alike. A subpath of
// its own so that commands which read no spec (`snipsnap evaluate`) do not load zod's classic API.
export { HARDWARE_KEYS, METRICS, PHASES, StudySchema, studyJsonSchema, studyJsonSchemaOverride, studyJsonSchemaText, type Study, type TensorDensities } from './study-schema'
export { parseStudy, readStudy, type StudySource } from './study-read'
