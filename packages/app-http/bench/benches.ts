// `npm run bench`: each benchmark of this package in turn, with the same arguments (e.g. `--seconds 0.2`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const file of ['http.bench.ts', 'webhook.bench.ts', 'conversation.bench.ts']) {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
