import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { whatsappConfig } from '@khaacho/adapters-whatsapp';
import type { Composition } from '@khaacho/app-worker/composition';
import { SPEECH_TO_TEXT, type SpeechToText } from '@khaacho/core';
import type { AppConfig } from '../config/http-config.js';
import { type HttpServer, startHttpServer } from '../http/http-server.js';
import { ChatLog } from './chat-log.js';
import { graphStubHandler } from './graph-stub.js';
import type { DeliveryTarget } from './inbound-delivery.js';
import { SimulatedSpeechToText, SimulatorMedia } from './simulator-media.js';

export const SIMULATOR_SECRETS_FILE = 'whatsapp-simulator.json';

/** What the simulated Meta side and our WhatsApp adapter share: generated, never configured. */
export interface SimulatorSecrets {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly businessAccountId: string;
  readonly displayPhoneNumber: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether this process may run the simulator: never with production settings. Only the
 * embedded (or memory) store — no DATABASE_URL —, never under NODE_ENV=production, and not
 * when the WhatsApp Cloud API or its webhook is configured (real secrets then key the
 * webhook, and messages go to real phones). A reason when not.
 */
export function simulatorRefusal(config: AppConfig, env: Env): string | null {
  if (config.worker.store === 'postgres') return 'the store is PostgreSQL (DATABASE_URL): production settings';
  if (env.NODE_ENV === 'production') return 'NODE_ENV=production';
  if (config.worker.messageSender === 'whatsapp') return 'the WhatsApp Cloud API is configured (WHATSAPP_*)';
  // Real webhook secrets key /webhooks/whatsapp whatever the sender is: the simulator's must not replace them.
  if (env.WHATSAPP_APP_SECRET?.trim() || env.WHATSAPP_VERIFY_TOKEN?.trim()) {
    return 'the WhatsApp webhook is configured (WHATSAPP_APP_SECRET / WHATSAPP_VERIFY_TOKEN)';
  }
  return null;
}

/** What voice notes get: a real provider's transcript, or the simulated one typed on the page. */
export type VoiceMode = 'transcribed' | 'simulated';

export interface Simulator {
  /** The process's config with the WhatsApp sender (KHAACHO_MESSAGE_SENDER=whatsapp semantics) on the stub. */
  readonly config: AppConfig;
  readonly secrets: SimulatorSecrets;
  /** What `/webhooks/whatsapp` must be mounted with so the simulator's deliveries verify. */
  readonly webhook: { readonly appSecret: string; readonly verifyToken: string };
  readonly target: DeliveryTarget;
  readonly log: ChatLog;
  /** The Graph stub's origin (loopback, its own port). */
  readonly graphBaseUrl: string;
  /** The voice notes the page sent, which the Graph stub's media endpoints serve. */
  readonly media: SimulatorMedia;
  /**
   * Binds the SIMULATED speech-to-text (`SimulatedSpeechToText`: the transcript typed beside
   * the audio) when no real one is bound (no OPENAI_API_KEY). Call once composed, before the
   * worker starts. Returns which one voice notes get.
   */
  attach(composition: Composition): VoiceMode;
  /** What `attach` chose; 'none' before it (no speech-to-text: "please type"). */
  voice(): VoiceMode | 'none';
  /** Where signed deliveries are posted: `<app url>/webhooks/whatsapp`, once the app listens. */
  webhookUrl(): string | null;
  /** Called once the app's server listens. */
  listening(appUrl: string): void;
  close(): Promise<void>;
}

function generate(): SimulatorSecrets {
  const digits = (n: number) => Array.from({ length: n }, (_, i) => randomInt(i === 0 ? 1 : 0, 10)).join('');
  return {
    appSecret: randomBytes(32).toString('hex'),
    verifyToken: randomBytes(24).toString('base64url'),
    accessToken: `EAAsim${randomBytes(48).toString('base64url')}`,
    phoneNumberId: digits(15),
    businessAccountId: digits(15),
    // A Nepali-looking business number outside the demo parties' blocks (shops 980000xxxx and
    // 9809999999, vendors 970000xxxx), so no party's chat is the business's own.
    displayPhoneNumber: '9779851000000',
  };
}

const isSecrets = (v: unknown): v is SimulatorSecrets =>
  typeof v === 'object' &&
  v !== null &&
  ['appSecret', 'verifyToken', 'accessToken', 'phoneNumberId', 'businessAccountId', 'displayPhoneNumber'].every(
    (k) => typeof (v as Record<string, unknown>)[k] === 'string',
  );

/**
 * The simulator's secrets: generated once into `<dataDir>/whatsapp-simulator.json` (mode
 * 0600, `wx` like the JWT key, so two first starts cannot write two) and read back later, so
 * a restart keeps the same business number; per process for an in-memory data dir.
 */
export async function resolveSimulatorSecrets(config: AppConfig): Promise<SimulatorSecrets> {
  const dir = config.worker.postgres.dataDir;
  if (config.worker.store === 'memory' || !dir || dir.startsWith('memory://')) return generate();
  await mkdir(dir, { recursive: true });
  const file = join(dir, SIMULATOR_SECRETS_FILE);
  try {
    await writeFile(file, `${JSON.stringify(generate(), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isSecrets(parsed)) throw new Error(`${file} is not a simulator secrets file; delete it to have a new one made`);
  return parsed;
}

/**
 * Sets the simulator up when `simulatorRefusal` allows it, else null: the secrets, the
 * chat log, and the Graph stub on its own loopback server. Its own server rather than a path
 * of the app's: the sender's base URL is fixed when the container is composed, before the
 * app can listen (it needs the composition), and the port may be 0 (ephemeral); and bound to
 * 127.0.0.1 only, the stub — which accepts the generated token — is never reachable from
 * outside even when the app listens on 0.0.0.0. The page reads the stub's record in process.
 */
export async function startSimulator(config: AppConfig, env: Env): Promise<Simulator | null> {
  if (simulatorRefusal(config, env) !== null) return null;
  const secrets = await resolveSimulatorSecrets(config);
  const log = new ChatLog();
  const media = new SimulatorMedia();
  let appUrl: string | null = null;
  const webhookUrl = () => (appUrl === null ? null : `${appUrl}/webhooks/whatsapp`);
  const target: DeliveryTarget = {
    businessAccountId: secrets.businessAccountId,
    phoneNumberId: secrets.phoneNumberId,
    displayPhoneNumber: secrets.displayPhoneNumber,
    appSecret: secrets.appSecret,
  };
  const stub: HttpServer = await startHttpServer(
    graphStubHandler({
      accessToken: secrets.accessToken,
      phoneNumberId: secrets.phoneNumberId,
      log,
      media,
      statusCallbacks: { webhookUrl, target },
    }),
    { port: 0, host: '127.0.0.1' },
  );
  const whatsapp = whatsappConfig({
    baseUrl: stub.url,
    phoneNumberId: secrets.phoneNumberId,
    accessToken: secrets.accessToken,
    appSecret: secrets.appSecret,
    verifyToken: secrets.verifyToken,
  });
  let voice: VoiceMode | null = null;
  return {
    config: { ...config, worker: { ...config.worker, messageSender: 'whatsapp', whatsapp } },
    secrets,
    webhook: { appSecret: secrets.appSecret, verifyToken: secrets.verifyToken },
    target,
    log,
    graphBaseUrl: stub.url,
    media,
    attach(composition) {
      if (voice !== null) return voice;
      const container = composition.container;
      if (container.isBound(SPEECH_TO_TEXT)) {
        voice = 'transcribed';
      } else {
        container.bind<SpeechToText>(SPEECH_TO_TEXT).toConstantValue(new SimulatedSpeechToText(media));
        voice = 'simulated';
      }
      return voice;
    },
    voice: () => voice ?? 'none',
    webhookUrl,
    listening(url) {
      appUrl = url;
    },
    close: () => stub.close(1_000),
  };
}
