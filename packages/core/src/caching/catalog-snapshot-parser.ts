import type { Product } from '../catalog/product.js';
import type { OrderTextParser, ParseContext, ParsedOrderText } from '../ports/order-text-parser.js';
import type { ProductRepository } from '../ports/repositories.js';
import type { Clock } from '../shared/clock.js';
import type { ProductId } from '../shared/ids.js';
import type { CatalogCache, ProductChange } from './catalog-cache.js';

/** A parser whose index can take one product's change without being rebuilt (`LocalOrderTextParser`). */
export interface IncrementalOrderTextParser extends OrderTextParser {
  updateProduct(product: Product): void;
  removeProduct(productId: ProductId): void;
}

function isIncremental(parser: OrderTextParser): parser is IncrementalOrderTextParser {
  const p = parser as Partial<IncrementalOrderTextParser>;
  return typeof p.updateProduct === 'function' && typeof p.removeProduct === 'function';
}

export interface CatalogSnapshotParserDeps {
  readonly catalog: CatalogCache;
  /** Where the active catalog is read when the cache has no snapshot of this version. */
  readonly products: Pick<ProductRepository, 'listActive' | 'getMany'>;
  readonly clock: Clock;
  /** Builds a parser over a catalog (e.g. `(p) => new LocalOrderTextParser(p)`). */
  readonly build: (products: readonly Product[]) => OrderTextParser;
  /** While the cache cannot say the catalog version, a built parser is reused this long. Default 60 s. */
  readonly unverifiedReuseMs?: number;
  /**
   * A parser kept up to date product by product is still rebuilt whole once it is this old,
   * the same bound on staleness the cache keeps for a lost invalidation. Default 10 min.
   */
  readonly fullRebuildMs?: number;
  /** Told of each change applied: a full `rebuild`, or an `incremental` update of `products` products. */
  readonly onRefresh?: (refresh: { readonly kind: 'rebuild' | 'incremental'; readonly products: number }) => void;
}

const DEFAULT_UNVERIFIED_REUSE_MS = 60_000;
const DEFAULT_FULL_REBUILD_MS = 10 * 60_000;
/** Past this many changes in one step a rebuild is as cheap, and the change log stays small. */
const MAX_PENDING_CHANGES = 500;

/**
 * An order-text parser kept in step with the catalog. Each parse costs one cache read (the
 * products generation); the index is rebuilt only when a product event has replaced it,
 * and then from the snapshot in the cache: of many instances, only the first reads the
 * catalog from the database. With the cache down it reuses what it built for a while,
 * then rebuilds from the database; it never fails because of the cache.
 *
 * When every version step since the build is a product change this instance invalidated
 * (told by `CatalogCache.onProductChange`, each with the versions it moved between), only
 * those products are re-read and re-indexed (`updateProduct` / `removeProduct`); a step it
 * was not told of (another instance's change, a lost notice) falls back to the full rebuild.
 */
export class CatalogSnapshotParser implements OrderTextParser {
  private built: { version: string | null; at: number; parser: OrderTextParser } | null = null;
  private building: Promise<OrderTextParser> | null = null;
  private readonly reuseMs: number;
  private readonly fullRebuildMs: number;
  /** Version steps told since the build: from → the change that moved it on. */
  private readonly steps = new Map<string, { to: string; productId: ProductId }>();

  constructor(private readonly deps: CatalogSnapshotParserDeps) {
    this.reuseMs = deps.unverifiedReuseMs ?? DEFAULT_UNVERIFIED_REUSE_MS;
    this.fullRebuildMs = deps.fullRebuildMs ?? DEFAULT_FULL_REBUILD_MS;
    deps.catalog.onProductChange((change) => this.noteChange(change));
  }

  private noteChange(change: ProductChange): void {
    if (change.from === null || change.to === null || this.steps.size >= MAX_PENDING_CHANGES) return;
    this.steps.set(change.from, { to: change.to, productId: change.productId });
  }

  async parse(text: string, context?: ParseContext): Promise<ParsedOrderText> {
    const parser = await this.current();
    return context === undefined ? parser.parse(text) : parser.parse(text, context);
  }

  /** The parser of the catalog version now (one cache read), for the parses of one message. */
  pinned(): Promise<OrderTextParser> {
    return this.current();
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
    this.building ??= this.refresh(version).finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async refresh(version: string | null): Promise<OrderTextParser> {
    const built = this.built;
    const changed = built && version !== null ? this.changedSince(built.version, version) : null;
    if (
      built &&
      version !== null &&
      changed !== null &&
      isIncremental(built.parser) &&
      this.deps.clock.now().getTime() - built.at < this.fullRebuildMs
    ) {
      const products = await this.deps.products.getMany([...changed]);
      const found = new Map(products.map((p) => [p.id, p]));
      for (const id of changed) {
        const product = found.get(id);
        if (product?.active) built.parser.updateProduct(product);
        else built.parser.removeProduct(id);
      }
      this.built = { ...built, version };
      this.forgetStepsBefore(version);
      this.deps.onRefresh?.({ kind: 'incremental', products: changed.size });
      return built.parser;
    }
    return this.rebuild();
  }

  /** The products changed between two versions, when every step between them was told; else null. */
  private changedSince(from: string | null, to: string): Set<ProductId> | null {
    const ids = new Set<ProductId>();
    let at = from;
    while (at !== null && at !== to) {
      const step = this.steps.get(at);
      if (!step || ids.size > MAX_PENDING_CHANGES) return null;
      ids.add(step.productId);
      at = step.to;
    }
    return at === to && ids.size > 0 ? ids : null;
  }

  /** Keeps only the steps on from `version`: the ones before it are in the index now. */
  private forgetStepsBefore(version: string): void {
    const keep = new Set<string>();
    for (let at: string | undefined = version; at !== undefined && !keep.has(at); at = this.steps.get(at)?.to) {
      keep.add(at);
    }
    for (const [from] of this.steps) if (!keep.has(from)) this.steps.delete(from);
  }

  private async rebuild(): Promise<OrderTextParser> {
    const snapshot = await this.deps.catalog.activeCatalog(this.deps.products);
    const parser = this.deps.build(snapshot.products);
    this.built = { version: snapshot.version, at: this.deps.clock.now().getTime(), parser };
    if (snapshot.version !== null) this.forgetStepsBefore(snapshot.version);
    this.deps.onRefresh?.({ kind: 'rebuild', products: snapshot.products.length });
    return parser;
  }
}
