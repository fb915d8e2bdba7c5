import { type Token, token } from '../shared/token.js';
/** Port: deferred callbacks, for in-process schedulers and queues (the core has no global timers). */
export interface Timer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const TIMER: Token<Timer> = token('Timer');
