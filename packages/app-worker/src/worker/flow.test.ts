import { suite } from 'uvu';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { type FlowComposition, flowScenarios } from '../testing/flow-scenarios.js';

/** In memory: store, queue and sender. The PostgreSQL run is flow-postgres.int.test.ts; Redis adds one entry there. */
const memory: FlowComposition = {
  name: 'memory',
  make: (clock) =>
    composeContainer(
      workerConfigFromEnv({ KHAACHO_STORE: 'memory', KHAACHO_MESSAGE_SENDER: 'memory', LOG_LEVEL: 'silent' }),
      { clock },
    ),
};

const flow = suite('flow');
flowScenarios(flow, memory);
flow.run();
