// Loaded before anything else in the process: it must stay free of heavy imports, since a
// signal that arrives while the rest loads must already find a handler here.

/** The signals that stop the worker. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Signals after the first that a drain tolerates; the next one ends the process. */
const SIGNALS_BEFORE_FORCED_EXIT = 3;

/**
 * Owns SIGTERM/SIGINT for the whole life of the process. Installed first, it records a
 * signal that arrives while the modules load or the container composes, and replays it to
 * the listener once there is one. The first signal starts the drain; a second is reported
 * (the listener logs "already draining") and the drain goes on; the third exits at once
 * (status 1), for an operator who really means it.
 */
export class ShutdownSignals {
  private readonly received: StopSignal[] = [];
  private listener: ((signal: StopSignal, count: number) => void) | null = null;

  constructor(
    private readonly exit: (code: number, why: string) => void = (code, why) => {
      process.stderr.write(`${why}\n`);
      process.exit(code);
    },
  ) {}

  /** Registers the handlers (process.on, not once: a second signal must not kill the process). */
  static install(): ShutdownSignals {
    const signals = new ShutdownSignals();
    for (const name of STOP_SIGNALS) process.on(name, () => signals.receive(name));
    return signals;
  }

  /** The first signal received, or null. */
  get first(): StopSignal | null {
    return this.received[0] ?? null;
  }

  receive(signal: StopSignal): void {
    this.received.push(signal);
    const count = this.received.length;
    if (count >= SIGNALS_BEFORE_FORCED_EXIT) {
      this.exit(1, `${signal} received ${count} times: exiting before the drain finished`);
      return;
    }
    this.listener?.(signal, count);
  }

  /** Called with each signal and its count (1 = start stopping); the ones already received are replayed now. */
  listen(listener: (signal: StopSignal, count: number) => void): void {
    this.listener = listener;
    this.received.forEach((signal, i) => {
      listener(signal, i + 1);
    });
  }
}

/**
 * A first line before the modules load, in the logger's shape: it says the process is up
 * and its signal handlers are in place (a supervisor or a test may stop it from here on).
 */
export function writeStartingLine(level: string | undefined): void {
  if (level !== undefined && ['silent', 'fatal', 'error', 'warn'].includes(level.trim())) return;
  const line = { level: 'info', time: new Date().toISOString(), pid: process.pid, service: 'khaacho', msg: 'starting' };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
