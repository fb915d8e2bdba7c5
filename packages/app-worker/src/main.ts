#!/usr/bin/env node
// The worker process. Signal handlers are installed before the rest of the program is even
// loaded (a dynamic import), so a SIGTERM in the first moments is a clean, empty drain
// (exit 0) instead of the default action's death by signal (143).
import { ShutdownSignals, writeStartingLine } from './process/shutdown-signals.js';

const signals = ShutdownSignals.install();
writeStartingLine(process.env.LOG_LEVEL);

try {
  const { runWorkerProcess } = await import('./process/worker-process.js');
  await runWorkerProcess(signals);
} catch (error) {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
