import { type Clock, type IdempotencyStore, InvariantError, type JobInfo, type JsonValue } from '@khaacho/core';

/**
 * How long a running effect holds its key before another delivery may take over. A delivery
 * that finds the key held fails and is retried, so an event job's retries must outlast this
 * (`EVENT_JOB_ATTEMPTS`): else a job whose worker died inside the effect ends dead without
 * the effect (a lost message). A concurrent delivery exists only after a job timeout or a
 * stall, so a lease shorter than the job timeout adds no duplicate for effects that finish.
 */
export const EFFECT_LEASE_MS = 15_000;

export type EffectResult = { readonly done: true; readonly result: JsonValue } | { readonly done: false };

/**
 * Runs `effect` once per job id, however often the job is delivered: begin → effect →
 * complete, through the IdempotencyStore (the same table that guards HTTP retries). A
 * delivery of a completed job is a replay and does nothing; one that finds the key held by
 * a running delivery fails, to be retried after its backoff; an effect that throws gives
 * the key back so the retry runs it. What remains at-least-once: a process dying between
 * the effect and `complete` (the next delivery after the lease runs the effect again).
 */
export async function effectOncePerJob(
  deps: { readonly idempotency: IdempotencyStore; readonly clock: Clock },
  job: Pick<JobInfo, 'queue' | 'jobId' | 'name'>,
  effect: () => Promise<JsonValue>,
): Promise<EffectResult> {
  const scope = `job:${job.queue}`;
  const key = job.jobId;
  const begun = await deps.idempotency.begin({
    scope,
    key,
    fingerprint: job.name,
    now: deps.clock.now(),
    leaseMs: EFFECT_LEASE_MS,
  });
  switch (begun.outcome) {
    case 'replay':
      return { done: false };
    case 'in_progress':
      throw new Error(`job ${key} is being run by another delivery; retried later`);
    case 'mismatch':
      throw new InvariantError('a job id was reused for another kind of job', { queue: job.queue, jobId: key });
    case 'started':
      break;
  }
  let result: JsonValue;
  try {
    result = await effect();
  } catch (error) {
    await deps.idempotency.abandon({ scope, key });
    throw error;
  }
  await deps.idempotency.complete({ scope, key, response: { status: 200, body: result }, now: deps.clock.now() });
  return { done: true, result };
}
