import { AI_GROUNDING, type AiConfig, aiModule } from '@khaacho/adapters-ai';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';
import { CATALOG_PARSER } from './catalog-cache-module.js';

/**
 * ORDER_TEXT_PARSER (and SPEECH_TO_TEXT, AI_METRICS) from `aiModule`, grounded on the
 * composed catalog: the cached local parser as the grounding and fallback, and the products
 * of its snapshot for re-matching. Load it only with an API key, and with
 * `catalogCacheModule({ bindOrderTextParser: false })`, so the parser token has one binding.
 */
export function aiParserModules(config: AiConfig): ContainerModule[] {
  return [
    new ContainerModule(({ bind }) => {
      provide(bind, AI_GROUNDING, [CATALOG_PARSER], (parser) => ({
        local: parser.local,
        productById: parser.productById,
      }));
    }),
    aiModule(config),
  ];
}
