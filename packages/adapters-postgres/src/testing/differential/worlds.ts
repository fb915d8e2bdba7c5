import {
  type RandomSource,
  createUseCases,
  NOOP_LOGGER,
  type Outbox,
  type ProductId,
  type Repositories,
  SYSTEM_ACTOR,
  type UnitOfWork,
  type UseCases,
  unwrap,
} from '@khaacho/core';
import { createInMemoryPersistence, ManualClock } from '@khaacho/core/testing';
import pg from 'pg';
import { MODEL_PRODUCTS } from '@khaacho/core/testing/arbitraries';
import { createPostgresPersistence, type PostgresPersistence } from '../../create-postgres-persistence.js';
import { rewindingUnitOfWork, ScopedIds } from './command-ids.js';
import { emptyDatabase, emptyStatement } from './empty-database.js';

export const WORLD_START = '2026-02-01T06:00:00.000Z';
/** The id scopes of what is not a model step: the catalog set-up and the stores' own ids (outbox rows). */
const SETUP_STEP = 4094;
const STORE_STEP = 4095;

interface Storage {
  readonly uow: UnitOfWork;
  readonly repos: Repositories;
  readonly outbox: Outbox;
}

/**
 * One side of the differential test: storage, a manual clock both sides move alike, and
 * use cases built per command over that command's own id scope.
 */
export class DiffWorld {
  readonly clock = new ManualClock(WORLD_START);
  products: ProductId[] = [];
  private storage: Storage;

  private constructor(
    readonly name: 'memory' | 'postgres',
    private readonly open: (clock: ManualClock) => Promise<Storage>,
    first: Storage,
  ) {
    this.storage = first;
  }

  static async memory(): Promise<DiffWorld> {
    const open = async (clock: ManualClock) => createInMemoryPersistence(new ScopedIds(clock, STORE_STEP, 0));
    const world = new DiffWorld('memory', open, await open(new ManualClock(WORLD_START)));
    await world.reset();
    return world;
  }

  /**
   * A world over a PostgreSQL database of its own, which `reset` empties (`empty-database.ts`). The
   * database commits without waiting for the WAL flush (`synchronous_commit = off`, this
   * database only): a crash could lose its last commits, which a test database never
   * needs, and the run is several times faster on a slow disk. Visibility, locking and
   * isolation are unchanged.
   */
  static async postgres(databaseUrl: string): Promise<{ world: DiffWorld; persistence: PostgresPersistence }> {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`alter database "${new URL(databaseUrl).pathname.slice(1)}" set synchronous_commit = off`);
    } finally {
      await admin.end();
    }
    let persistence: PostgresPersistence | undefined;
    let empty = '';
    const open = async (clock: ManualClock) => {
      if (!persistence) {
        persistence = await createPostgresPersistence({
          databaseUrl,
          migrate: true,
          poolMax: 4,
          ids: new ScopedIds(clock, STORE_STEP, 0),
        });
        empty = await emptyStatement(persistence);
      }
      await emptyDatabase(persistence, empty);
      return persistence;
    };
    const world = new DiffWorld('postgres', open, await open(new ManualClock(WORLD_START)));
    await world.reset();
    return { world, persistence: persistence as PostgresPersistence };
  }

  get repos(): Repositories {
    return this.storage.repos;
  }

  get outbox(): Outbox {
    return this.storage.outbox;
  }

  /** Back to an empty store at the start time, with the model's catalog of products. */
  async reset(): Promise<void> {
    this.clock.set(WORLD_START);
    this.storage = await this.open(this.clock);
    const setup = this.useCases(SETUP_STEP, 0);
    this.products = [];
    for (let i = 0; i < MODEL_PRODUCTS; i++) {
      const { product } = unwrap(
        await setup.upsertProduct.execute({
          sku: `MODEL-${i}`,
          name: `Model product ${i}`,
          category: 'noodles',
          baseUnit: 'packet',
          conversions: [{ unit: 'carton', toBase: 30 }],
          actor: SYSTEM_ACTOR,
        }),
      );
      this.products.push(product.id);
    }
  }

  /** The use cases of one command (step, slot): ids from their own scope, retries id-neutral. */
  useCases(step: number, slot: number): UseCases {
    const ids = new ScopedIds(this.clock, step, slot);
    const uow = rewindingUnitOfWork(this.storage.uow, ids);
    return createUseCases({
      uow,
      repos: this.storage.repos,
      clock: this.clock,
      ids,
      logger: NOOP_LOGGER,
      random: scopedRandom(step, slot),
    });
  }
}

/**
 * Delivery codes from the command's scope, like its ids: the same in both worlds and on every
 * retry of a transaction (a constant source; the code generator takes the first draw below 2³²
 * less its remainder, which these small numbers always are).
 */
function scopedRandom(step: number, slot: number): RandomSource {
  const n = (step * 7_919 + slot * 104_729) % 10_000;
  return {
    fill(bytes) {
      bytes.fill(0);
      bytes[bytes.length - 2] = n >> 8;
      bytes[bytes.length - 1] = n & 0xff;
      return bytes;
    },
  };
}
