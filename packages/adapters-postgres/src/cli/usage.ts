import { parseArgs } from 'node:util';

/** A command line we cannot act on: told with the usage text, exit code 2, nothing done. */
export class UsageError extends Error {}

export type MigrateCommand = { action: 'up' | 'status' } | { action: 'down'; steps: number | 'all' };

export function parseMigrate(rest: readonly string[]): MigrateCommand {
  const [action = 'status', ...flags] = rest;
  const { values } = parseUsage(() =>
    parseArgs({ args: flags, strict: true, options: { steps: { type: 'string' }, all: { type: 'boolean' } } }),
  );
  if (action === 'down') {
    if (values.all && values.steps !== undefined) throw new UsageError('give --steps N or --all, not both');
    if (values.all) return { action, steps: 'all' };
    const steps = values.steps ?? '1';
    if (!/^[1-9][0-9]{0,5}$/.test(steps)) throw new UsageError(`--steps must be a whole number ≥ 1, got "${steps}"`);
    return { action, steps: Number(steps) };
  }
  if (action !== 'up' && action !== 'status') throw new UsageError(`unknown migrate action "${action}"`);
  if (values.all !== undefined || values.steps !== undefined) throw new UsageError(`--steps and --all go with "down"`);
  return { action };
}

/** node:util parseArgs throws on unknown flags, missing or dash-led values and stray positionals. */
export function parseUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
