import type { Product } from '../catalog/product.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { ProductFilter } from '../ports/repositories.js';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import type { ProductId, VendorId } from '../shared/ids.js';
import { checkCommand, checkId } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

const MAX_SEARCH_LENGTH = 100;

export interface ListProductsQuery {
  readonly filter?: ProductFilter;
  readonly page: PageRequest;
}

/** The catalog by sku, one page at a time, optionally by category or a search of sku, name and aliases. */
export class ListProducts {
  static readonly failures = [] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListProductsQuery): Promise<Outcome<Page<Product>, FailureCode<typeof ListProducts>>> {
    checkCommand(query);
    const filter = query.filter ?? {};
    if (
      filter.search !== undefined &&
      (typeof filter.search !== 'string' || filter.search.length > MAX_SEARCH_LENGTH)
    ) {
      throw new ValidationError(
        `search is text of at most ${MAX_SEARCH_LENGTH} characters`,
        {},
        ErrorCodes.INVALID_COMMAND,
      );
    }
    return runUseCase(ListProducts.failures, () => this.ctx.repos.products.list(filter, query.page));
  }
}

export class GetProduct {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: { readonly productId: ProductId }): Promise<Outcome<Product, FailureCode<typeof GetProduct>>> {
    checkCommand(query);
    const productId = checkId<ProductId>(query.productId, 'productId');
    return runUseCase(GetProduct.failures, async () =>
      required(await this.ctx.repos.products.get(productId), 'product', productId),
    );
  }
}

/** A product's active offers (cheapest first), or every offer of one vendor (inactive ones too). */
export type ListVendorOffersQuery = { readonly productId: ProductId } | { readonly vendorId: VendorId };

export class ListVendorOffers {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: ListVendorOffersQuery): Promise<Outcome<VendorOffer[], FailureCode<typeof ListVendorOffers>>> {
    checkCommand(query);
    if ('productId' in query) {
      const productId = checkId<ProductId>(query.productId, 'productId');
      return runUseCase(ListVendorOffers.failures, async () => {
        required(await this.ctx.repos.products.get(productId), 'product', productId);
        const offers = await this.ctx.repos.offers.listActiveForProducts([productId]);
        return [...offers].sort(
          (a, b) => a.unitPrice.amount - b.unitPrice.amount || a.vendorId.localeCompare(b.vendorId),
        );
      });
    }
    const vendorId = checkId<VendorId>(query.vendorId, 'vendorId');
    return runUseCase(ListVendorOffers.failures, async () => {
      required(await this.ctx.repos.vendors.get(vendorId), 'vendor', vendorId);
      return this.ctx.repos.offers.listByVendor(vendorId);
    });
  }
}
