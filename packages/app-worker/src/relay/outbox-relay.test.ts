import { ManualClock } from '@khaacho/core/testing';
import { suite } from 'uvu';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { relayScenarios } from '../testing/relay-scenarios.js';

const relay = suite('outbox relay');
relayScenarios(
  relay,
  {
    name: 'memory',
    make: (clock) =>
      composeContainer(
        workerConfigFromEnv({ KHAACHO_STORE: 'memory', KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
        { clock },
      ),
  },
  new ManualClock('2026-03-02T04:00:00.000Z'),
);
relay.run();
