// @khaacho/core/corpus: the one Nepali catalog, the labelled order-message corpus and its
// scorer, for the parser tests, the corpus report, the seed and any other parser (the AI
// adapter) to be measured the same way. Production code in core never imports it.

export type { CatalogEntry } from './catalog-entry.js';
export {
  CORPUS_TARGET,
  type CorpusMiss,
  type CorpusReport,
  type CorpusScore,
  evaluateCorpus,
  sameLine,
} from './evaluation.js';
export {
  type CorpusMessage,
  type CorpusPurchase,
  contextFor,
  type ExpectedLine,
  loadCorpus,
  readCorpus,
} from './messages.js';
export {
  type GeneratedCatalogOptions,
  generatedCatalog,
  generatedCatalogCapacity,
  generatedCatalogEntries,
} from './generated-catalog.js';
export { CATALOG_DEFAULTS } from './catalog-defaults.js';
export { NEPALI_CATALOG, nepaliCatalog } from './nepali-catalog.js';
export { formatCorpusReport } from './report-format.js';
