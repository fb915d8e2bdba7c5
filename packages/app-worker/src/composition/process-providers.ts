import {
  CLOCK,
  type Clock,
  ID_GENERATOR,
  RANDOM_SOURCE,
  systemClock,
  systemRandom,
  TIMER,
  type Timer,
  UuidV7Generator,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { provide } from './bindings.js';

const systemTimer: Timer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The process-level providers, bound once here and nowhere else: wall clock, CSPRNG,
 * UUIDv7 ids from both, and timers. Every adapter takes them from the container.
 */
export function processProvidersModule(clock: Clock = systemClock): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // Tests pass a manual clock (composeContainer's `clock` option); a process never does.
    provide(bind, CLOCK, [], () => clock);
    provide(bind, RANDOM_SOURCE, [], () => systemRandom());
    provide(bind, ID_GENERATOR, [CLOCK, RANDOM_SOURCE], (clock: Clock, random) => new UuidV7Generator(clock, random));
    provide(bind, TIMER, [], () => systemTimer);
  });
}
