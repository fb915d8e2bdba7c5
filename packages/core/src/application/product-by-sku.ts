import { normalizeSku, type Product } from '../catalog/product.js';
import { checkCommand } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { ErrorCodes } from '../shared/errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

/** One product by its SKU (case and surrounding spaces do not matter): what imports and integrations name. */
export class GetProductBySku {
  static readonly failures = [ErrorCodes.NOT_FOUND] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(query: { readonly sku: string }): Promise<Outcome<Product, FailureCode<typeof GetProductBySku>>> {
    checkCommand(query);
    const sku = normalizeSku(typeof query.sku === 'string' ? query.sku : '');
    return runUseCase(GetProductBySku.failures, async () =>
      required(await this.ctx.repos.products.getBySku(sku), 'product', sku),
    );
  }
}
