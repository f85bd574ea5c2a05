// The part of `yaml` the CommonJS build uses, as a file of its own (dist/yaml.js) that
// lazy-yaml.cjs loads on first use.
export { parseDocument, stringify } from 'yaml'
