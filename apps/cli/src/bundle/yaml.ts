// `yaml` as a file of its own in the CommonJS build (dist/yaml.js), which that build's stand-in
// for `yaml` loads on first use (tsup.config.ts, lazyYaml).
export * from 'yaml'
