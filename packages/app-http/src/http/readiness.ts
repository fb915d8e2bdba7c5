import { POSTGRES_PERSISTENCE, migrationStatus } from '@khaacho/adapters-postgres';
import { type Composition, READINESS } from '@khaacho/app-worker/composition';

export interface CheckReport {
  readonly ok: boolean;
  readonly error?: string;
}

export interface ReadinessResult {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckReport>>;
}

/** Resolves when a part of the process is fit to serve; rejects with why not. */
export type NamedCheck = () => Promise<void>;

/**
 * What `/ready` answers: the composition's READINESS (storage, and Redis when configured),
 * the migrations being current (a server whose schema is behind its code must not take
 * traffic), and any extra checks the process adds (the in-process worker running).
 */
export function readinessOf(
  composition: Composition,
  extra: Readonly<Record<string, NamedCheck>> = {},
): () => Promise<ReadinessResult> {
  const checks: Record<string, NamedCheck> = { ...extra };
  if (composition.adapters.store !== 'memory') {
    checks.migrations = async () => {
      const status = await migrationStatus(composition.get(POSTGRES_PERSISTENCE));
      if (status.pending.length > 0) throw new Error(`${status.pending.length} migration(s) pending`);
    };
  }
  return async () => {
    const [dependencies, ...rest] = await Promise.all([
      composition.get(READINESS)(),
      ...Object.entries(checks).map(async ([name, check]) => [name, await run(check)] as const),
    ]);
    const reports: Record<string, CheckReport> = {};
    for (const [name, report] of Object.entries(dependencies.checks)) if (report) reports[name] = report;
    for (const [name, report] of rest) reports[name] = report;
    return { ready: Object.values(reports).every((r) => r.ok), checks: reports };
  };
}

async function run(check: NamedCheck): Promise<CheckReport> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
