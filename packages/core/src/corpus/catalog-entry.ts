import type { ProductAlias, ProductInput } from '../catalog/product.js';

/** One product of the Nepali catalog, with what a wholesaler typically charges for it. */
export interface CatalogEntry extends ProductInput {
  /** Typical wholesale price per base unit, in paisa (the seed prices offers around it). */
  readonly typicalPrice: number;
}

export const en = (...texts: string[]): ProductAlias[] => texts.map((text) => ({ text, language: 'en' }));
export const ne = (...texts: string[]): ProductAlias[] => texts.map((text) => ({ text, language: 'ne' }));
export const rom = (...texts: string[]): ProductAlias[] => texts.map((text) => ({ text, language: 'ne-Latn' }));
