#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createPostgresPersistence, systemUuidV7 } from '../create-postgres-persistence.js';
import { migrateDown, migrateUp, migrationStatus, schemaDrift } from '../migrations-runner.js';
import { persistenceConfigFromEnv } from '../postgres-config.js';
import { runSeed } from '../seed/run-seed.js';

const USAGE = `usage:
  khaacho migrate up|down [--steps N|--all]|status
  khaacho seed [--retailers 1500] [--vendors 300] [--products 5000] [--orders 3000] [--seed 42]

Connects to DATABASE_URL, or runs embedded PostgreSQL (PGlite) under KHAACHO_DATA_DIR
(default ./.khaacho/data) when DATABASE_URL is not set.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const env = persistenceConfigFromEnv(process.env);
  if (command === 'migrate') {
    const [action = 'status', ...flags] = rest;
    const { values } = parseArgs({ args: flags, options: { steps: { type: 'string' }, all: { type: 'boolean' } } });
    const persistence = await createPostgresPersistence({ ...env, migrate: false, poolMax: 2 });
    try {
      if (action === 'up') print('applied', await migrateUp(persistence.orm));
      else if (action === 'down')
        print('reverted', await migrateDown(persistence.orm, values.all ? 'all' : Number(values.steps ?? 1)));
      else if (action === 'status') {
        const status = await migrationStatus(persistence.orm);
        print('executed', status.executed);
        print('pending', status.pending);
        if (status.pending.length === 0) {
          const drift = await schemaDrift(persistence.orm);
          console.log(drift ? `schema differs from the entities:\n${drift}` : 'schema matches the entities');
        }
      } else {
        console.error(USAGE);
        return 2;
      }
    } finally {
      await persistence.close();
    }
    return 0;
  }
  if (command === 'seed') {
    const { values } = parseArgs({
      args: rest,
      options: {
        retailers: { type: 'string', default: '1500' },
        vendors: { type: 'string', default: '300' },
        products: { type: 'string', default: '5000' },
        orders: { type: 'string', default: '3000' },
        seed: { type: 'string', default: '42' },
      },
    });
    const options = {
      retailers: count(values.retailers, 'retailers'),
      vendors: count(values.vendors, 'vendors'),
      products: count(values.products, 'products'),
      orders: count(values.orders, 'orders'),
      seed: count(values.seed, 'seed'),
    };
    const persistence = await createPostgresPersistence({ ...env, migrate: true });
    try {
      const started = Date.now();
      const report = await runSeed(persistence, options, systemUuidV7(), (line) => console.error(line));
      console.log(
        `seed ${options.seed}: created ${JSON.stringify(report.created)}, already there ${JSON.stringify(report.skipped)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await persistence.close();
    }
    return 0;
  }
  console.error(USAGE);
  return command ? 2 : 0;
}

function count(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
}

function print(label: string, names: readonly string[]): void {
  console.log(`${label}: ${names.length === 0 ? '(none)' : names.join(', ')}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
