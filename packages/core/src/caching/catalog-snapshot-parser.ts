import type { Product } from '../catalog/product.js';
import type { OrderTextParser, ParseContext, ParsedOrderText } from '../ports/order-text-parser.js';
import type { ProductRepository } from '../ports/repositories.js';
import type { Clock } from '../shared/clock.js';
import type { CatalogCache } from './catalog-cache.js';

export interface CatalogSnapshotParserDeps {
  readonly catalog: CatalogCache;
  /** Where the active catalog is read when the cache has no snapshot of this version. */
  readonly products: Pick<ProductRepository, 'listActive'>;
  readonly clock: Clock;
  /** Builds a parser over a catalog (e.g. `(p) => new LocalOrderTextParser(p)`). */
  readonly build: (products: readonly Product[]) => OrderTextParser;
  /** While the cache cannot say the catalog version, a built parser is reused this long. Default 60 s. */
  readonly unverifiedReuseMs?: number;
}

const DEFAULT_UNVERIFIED_REUSE_MS = 60_000;

/**
 * An order-text parser kept in step with the catalog. Each parse costs one cache read (the
 * products generation); the index is rebuilt only when a product event has replaced it,
 * and then from the snapshot in the cache: of many instances, only the first reads the
 * catalog from the database. With the cache down it reuses what it built for a while,
 * then rebuilds from the database; it never fails because of the cache.
 */
export class CatalogSnapshotParser implements OrderTextParser {
  private built: { version: string | null; at: number; parser: OrderTextParser } | null = null;
  private building: Promise<OrderTextParser> | null = null;
  private readonly reuseMs: number;

  constructor(private readonly deps: CatalogSnapshotParserDeps) {
    this.reuseMs = deps.unverifiedReuseMs ?? DEFAULT_UNVERIFIED_REUSE_MS;
  }

  async parse(text: string, context?: ParseContext): Promise<ParsedOrderText> {
    const parser = await this.current();
    return context === undefined ? parser.parse(text) : parser.parse(text, context);
  }

  /** The catalog version the current parser was built from (null: not built, or built while the cache was down). */
  get builtVersion(): string | null {
    return this.built?.version ?? null;
  }

  private async current(): Promise<OrderTextParser> {
    const version = await this.deps.catalog.catalogVersion();
    const built = this.built;
    if (built) {
      if (version !== null && built.version === version) return built.parser;
      if (version === null && this.deps.clock.now().getTime() - built.at < this.reuseMs) return built.parser;
    }
    // One rebuild at a time: concurrent parses of a new version share it.
    this.building ??= this.rebuild().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async rebuild(): Promise<OrderTextParser> {
    const snapshot = await this.deps.catalog.activeCatalog(this.deps.products);
    const parser = this.deps.build(snapshot.products);
    this.built = { version: snapshot.version, at: this.deps.clock.now().getTime(), parser };
    return parser;
  }
}
