/**
 * The catalog's designated product for the generic words that fit several products ("dal"
 * is Masoor Dal unless the shop usually buys another): catalog data, which the seed writes to
 * the CatalogDefaultRepository. Only the hand-written catalog's everyday products, whose SKUs
 * are the same in every generated catalog. A word that already names one product ("chamal",
 * "chini") needs no default.
 */
export const CATALOG_DEFAULTS: readonly { readonly mention: string; readonly sku: string }[] = [
  { mention: 'dal', sku: 'DAL-MASOOR' },
  { mention: 'daal', sku: 'DAL-MASOOR' },
  { mention: 'दाल', sku: 'DAL-MASOOR' },
  { mention: 'tel', sku: 'OIL-MUSTARD' },
  { mention: 'oil', sku: 'OIL-MUSTARD' },
  { mention: 'तेल', sku: 'OIL-MUSTARD' },
  { mention: 'biscuit', sku: 'BIS-GLUCOSE' },
  { mention: 'noodles', sku: 'NDL-WAIWAI' },
  { mention: 'sabun', sku: 'SOAP-LIFEBUOY' },
  { mention: 'soap', sku: 'SOAP-LIFEBUOY' },
];
