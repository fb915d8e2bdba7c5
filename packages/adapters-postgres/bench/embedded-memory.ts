/*
 * Resident memory of embedded mode (PGlite), each case in a fresh process so the peak is
 * its own: a first start on an empty data folder (initdb + migrations), a restart on that
 * folder, a throwaway `memory://` database, and a server for comparison. Peak is the
 * process's max RSS; steady is the RSS 2 s after startup, once a few queries have run.
 *   npm run bench:memory -w @khaacho/adapters-postgres
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresPersistence } from '../src/create-postgres-persistence.js';
import { createTestDatabase } from '../src/testing/test-database.js';

interface Figures {
  readonly startMs: number;
  readonly steadyMb: number;
  readonly peakMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function child(target: string): Promise<void> {
  const started = performance.now();
  const config = target.startsWith('postgres://') ? { databaseUrl: target, migrate: true } : { dataDir: target };
  const persistence = await createPostgresPersistence(config);
  const startMs = Math.round(performance.now() - started);
  for (let i = 0; i < 20; i++) await persistence.ping();
  await new Promise((r) => setTimeout(r, 2_000));
  const figures: Figures = {
    startMs,
    steadyMb: mb(process.memoryUsage().rss),
    peakMb: mb(process.resourceUsage().maxRSS * 1024),
  };
  await persistence.close();
  console.log(JSON.stringify(figures));
}

function measure(target: string): Figures {
  const self = fileURLToPath(import.meta.url);
  // The children get this process's flags: `node --liftoff-only --import tsx …` measures with them.
  const flags = process.execArgv.some((a) => a.includes('tsx'))
    ? process.execArgv
    : [...process.execArgv, '--import', 'tsx'];
  const run = spawnSync(process.execPath, [...flags, self, '--child', target], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`measuring ${target} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as Figures;
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) {
  await child(process.argv[childAt + 1] ?? '');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'khaacho-pglite-'));
  const db = await createTestDatabase('khaacho_bench_memory');
  try {
    const rows: [string, Figures][] = [
      ['embedded, first start (empty folder)', measure(join(dir, 'data'))],
      ['embedded, restart', measure(join(dir, 'data'))],
      ['embedded, memory://', measure('memory://')],
      ['server', measure(db.url)],
    ];
    console.log('case                                   start    steady RSS   peak RSS');
    for (const [name, f] of rows) {
      console.log(
        `${name.padEnd(38)} ${`${f.startMs} ms`.padStart(8)} ${`${f.steadyMb} MB`.padStart(10)} ${`${f.peakMb} MB`.padStart(10)}`,
      );
    }
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
