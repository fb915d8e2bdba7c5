// The scheduler: slots from croner, one job per slot on the JobQueue, and the handlers of those jobs.
export {
  handlerByName,
  type QueueJobHandler,
  type ScheduledJobDeps,
  ScheduledTaskNames,
  scheduledJobHandlers,
  WORKER_SCHEDULE,
} from './scheduled-jobs.js';
export {
  type FiredSlot,
  type ScheduledTask,
  type Scheduler,
  type SchedulerDeps,
  type SlotPayload,
  startScheduler,
} from './scheduler.js';
export { nepalDate, SCHEDULE_TIMEZONE, slotJobId } from './slots.js';
export { RESCORE_RETAILER_JOB, rescoreJobId } from './tasks/credit-rescoring.js';
export { PAYMENT_REMINDER_JOB, reminderJobId } from './tasks/payment-reminders.js';
export type { RecoverySweep } from './tasks/recovery-sweep.js';
export type { SlotHandler } from './tasks/slot-handler.js';
