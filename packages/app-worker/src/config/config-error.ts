const brand: unique symbol = Symbol.for('khaacho.ConfigError');

/** One environment variable that is wrong, and what it should be. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * The environment does not describe a runnable process. Lists every problem at once, each
 * naming its variable and what was expected, so one restart fixes them all.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  readonly [brand] = true;

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }

  static is(error: unknown): error is ConfigError {
    return typeof error === 'object' && error !== null && (error as { [brand]?: unknown })[brand] === true;
  }
}
