/**
 * The named job queues and their default concurrency (jobs one worker runs at a time).
 * Shared by every JobQueue adapter, the worker and the queues API; a deployment may
 * override the concurrency per queue in its config.
 */
export const QueueNames = {
  ORDER_PROCESSING: 'ORDER_PROCESSING',
  ORDER_ROUTING: 'ORDER_ROUTING',
  CREDIT_SCORE: 'CREDIT_SCORE',
  NOTIFICATIONS: 'NOTIFICATIONS',
  PAYMENT_REMINDER: 'PAYMENT_REMINDER',
  REPORT_GENERATION: 'REPORT_GENERATION',
  /** One job per scheduler slot (`<task>:<slot ISO>`): the job id makes a slot fire once across workers. */
  SCHEDULER: 'SCHEDULER',
} as const;

export type QueueName = (typeof QueueNames)[keyof typeof QueueNames];

export const QUEUE_NAMES: readonly QueueName[] = Object.freeze(Object.values(QueueNames));

export const DEFAULT_QUEUE_CONCURRENCY: Readonly<Record<QueueName, number>> = Object.freeze({
  ORDER_PROCESSING: 5,
  ORDER_ROUTING: 3,
  CREDIT_SCORE: 2,
  NOTIFICATIONS: 5,
  PAYMENT_REMINDER: 3,
  REPORT_GENERATION: 1,
  SCHEDULER: 2,
});

export function isQueueName(value: string): value is QueueName {
  return Object.hasOwn(DEFAULT_QUEUE_CONCURRENCY, value);
}
