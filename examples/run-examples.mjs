// Runs every example in src/ with tsx (or, given `--compiled <dir>`, the compiled .js
// files there: what scripts/consumer-check.mjs does), one process each; fails if any fails.
// The PostgreSQL examples get a fresh database of their own on the server at
// DATABASE_URL (or the local default), dropped afterwards.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const compiledAt = process.argv.indexOf('--compiled');
const compiledDir = compiledAt > 0 ? process.argv[compiledAt + 1] : null;
const sourceDir = compiledDir ?? join(here, 'src');
const files = readdirSync(sourceDir)
  .filter((f) => (compiledDir ? f.endsWith('.js') : f.endsWith('.ts')))
  .sort();

async function admin(sql) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let failed = 0;
for (const file of files) {
  const name = `khaacho_example_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  await admin(`create database "${name}"`);
  const started = Date.now();
  const args = compiledDir ? [join(sourceDir, file)] : ['--import', 'tsx', join(sourceDir, file)];
  const run = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url.toString() },
  });
  await admin(`drop database if exists "${name}" with (force)`);
  const ok = run.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${file} (${Date.now() - started} ms)`);
}
console.log(`${files.length - failed} of ${files.length} examples ran`);
process.exit(failed === 0 ? 0 : 1);
