// Public API of @snipsnap/mapspace: the mapping space of a workload on an accelerator under
// Timeloop constraints, with cheap validity checks, as a search Space.
export { createMapspace } from './mapspace'
export type {
  CheckFailureKind,
  CheckResult,
  Mapspace,
  MapspaceGenome,
  MapspaceInput,
  MapspaceLayout,
  MapspaceOptions,
  MapspaceSize,
  TileMetadataQuery,
} from './types'
