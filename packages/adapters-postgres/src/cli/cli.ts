import { parseArgs } from 'node:util';
import { systemIds } from '@khaacho/core';
import { createPostgresPersistence, openPostgresPersistence } from '../create-postgres-persistence.js';
import { migrateDown, migrateUp, migrationStatus, schemaDrift } from '../migrations.js';
import { persistenceConfigFromEnv } from '../postgres-config.js';
import { runSeed } from '../seed/run-seed.js';
import { parseMigrate, parseUsage, UsageError } from './usage.js';

const USAGE = `usage:
  khaacho migrate up|down [--steps N|--all]|status
  khaacho seed [--retailers 1500] [--vendors 300] [--products 5000] [--orders 3000] [--seed 42]

Connects to DATABASE_URL, or runs embedded PostgreSQL (PGlite) under KHAACHO_DATA_DIR
(default ./.khaacho/data) when DATABASE_URL is not set.`;

/** Where the CLI writes: the console in the bin, a recorder in tests. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

/**
 * Run one command line and return its exit code: 0 done, 2 a usage error (nothing done).
 * Any other failure rejects; the bin prints it and exits 1.
 */
export async function runCli(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
  out: CliOutput,
): Promise<number> {
  try {
    return await run(argv, environment, out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(error.message);
    out.error(USAGE);
    return 2;
  }
}

async function run(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>>,
  out: CliOutput,
): Promise<number> {
  const [command, ...rest] = argv;
  const env = persistenceConfigFromEnv(environment);
  if (command === 'migrate') {
    const cmd = parseMigrate(rest);
    // No schema check: this is the command that brings the schema up to date.
    const persistence = await openPostgresPersistence({ ...env, migrate: false, poolMax: 2 }, 'none');
    const lock = { lock: persistence.mode === 'server' };
    try {
      if (cmd.action === 'up') print(out, 'applied', await migrateUp(persistence, lock));
      else if (cmd.action === 'down') print(out, 'reverted', await migrateDown(persistence, cmd.steps, lock));
      else {
        const status = await migrationStatus(persistence);
        print(out, 'executed', status.executed);
        print(out, 'pending', status.pending);
        if (status.pending.length === 0) {
          const drift = await schemaDrift(persistence);
          out.log(drift ? `schema differs from the entities:\n${drift}` : 'schema matches the entities');
        }
      }
    } finally {
      await persistence.close();
    }
    return 0;
  }
  if (command === 'seed') {
    const { values } = parseUsage(() =>
      parseArgs({
        args: rest,
        strict: true,
        options: {
          retailers: { type: 'string', default: '1500' },
          vendors: { type: 'string', default: '300' },
          products: { type: 'string', default: '5000' },
          orders: { type: 'string', default: '3000' },
          seed: { type: 'string', default: '42' },
        },
      }),
    );
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
      const report = await runSeed(persistence, options, systemIds(), (line) => out.error(line));
      out.log(
        `seed ${options.seed}: created ${JSON.stringify(report.created)}, already there ${JSON.stringify(report.skipped)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await persistence.close();
    }
    return 0;
  }
  out.error(USAGE);
  return command ? 2 : 0;
}

function count(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value ?? '') || !Number.isSafeInteger(n))
    throw new UsageError(`--${name} must be a whole number`);
  return n;
}

function print(out: CliOutput, label: string, names: readonly string[]): void {
  out.log(`${label}: ${names.length === 0 ? '(none)' : names.join(', ')}`);
}
