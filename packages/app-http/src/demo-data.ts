import { POSTGRES_PERSISTENCE, runSeed, type SeedOptions, type SeedReport } from '@khaacho/adapters-postgres';
import type { Composition } from '@khaacho/app-worker/composition';
import { ID_GENERATOR } from '@khaacho/core';

/**
 * The demo data set of `npm start`: the whole Nepali catalog, a few vendors with offers,
 * retailers with credit accounts, and past orders in every stage. adapters-postgres' seed,
 * which is deterministic and idempotent: the first start writes it, later starts add nothing.
 */
export const DEMO_SEED: SeedOptions = { products: 36, vendors: 8, retailers: 20, orders: 40, seed: 42 };

/** Loads the demo data into a PostgreSQL or embedded store; a memory store has nothing to keep it in. */
export async function loadDemoData(composition: Composition): Promise<SeedReport | null> {
  if (composition.adapters.store === 'memory') return null;
  return runSeed(composition.get(POSTGRES_PERSISTENCE), DEMO_SEED, composition.get(ID_GENERATOR));
}
