// The browser harness of the chat simulator (tests only): the whole app as `npm start` runs
// it (embedded PostgreSQL in a temp dir, demo data, worker in process, ephemeral port), and
// a page object over headless Chromium. The full ordering scenario is written with these.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker, type WorkerHandle } from '@khaacho/app-worker';
import type { Composition } from '@khaacho/app-worker/composition';
import { type Browser, launch, type Page } from 'puppeteer-core';
import { createHttpApp } from '../app.js';
import { AUTHENTICATOR } from '../auth/authenticator.js';
import { composeHttp } from '../compose-http.js';
import { appConfigFromEnv } from '../config/http-config.js';
import { loadDemoData, loadDemoLogins } from '../demo-data.js';
import { type HttpServer, startHttpServer } from '../http/http-server.js';
import { readinessOf } from '../http/readiness.js';
import { type Simulator, startSimulator } from '../simulator/simulator-setup.js';

/** Debian's package (`apt-get install chromium`); `.ci/run` installs it when missing. */
export const CHROMIUM = process.env.KHAACHO_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Resolved to 127.0.0.1 by the harness's Chromium: the page there is not a secure context. */
export const INSECURE_HOST = 'simulator.khaacho.test';
export const TEST_OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

export interface WebhookDelivery {
  readonly signature: string | undefined;
  readonly body: Buffer;
}

export interface SimulatorApp {
  readonly url: string;
  readonly simulator: Simulator;
  readonly composition: Composition;
  /** What reached `/webhooks/whatsapp` when `webhook: 'witness'`. */
  readonly deliveries: WebhookDelivery[];
  /** The switch in front of the Graph stub (the sender is pointed at it): a Graph API outage at will. */
  readonly graph: GraphSwitch;
  close(): Promise<void>;
}

/**
 * `webhook: 'witness'` answers `POST /webhooks/whatsapp` in the test (200, recording the
 * signed bytes) in front of the app, for as long as the app has no webhook route of its own;
 * `'app'` leaves it to the app (the full ordering scenario, once the intake is merged).
 */
export async function startSimulatorApp(options: {
  readonly webhook: 'witness' | 'app';
  /** 'embedded' (default): PGlite in a temp dir, as `npm start`; 'memory': the in-memory adapters. */
  readonly store?: 'embedded' | 'memory';
  /**
   * PostgreSQL (migrated) and Redis instead: the simulator itself refuses production settings,
   * so it is set up on the embedded config and its Graph stub and secrets moved over.
   */
  readonly postgres?: {
    readonly databaseUrl: string;
    readonly redis: { readonly url: string; readonly prefix: string };
  };
}): Promise<SimulatorApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'khaacho-simulator-'));
  const base = appConfigFromEnv({
    KHAACHO_DATA_DIR: options.store === 'memory' ? `memory://${dataDir}` : dataDir,
    KHAACHO_HTTP_PORT: '0',
    LOG_LEVEL: process.env.KHAACHO_TEST_LOG_LEVEL ?? 'warn',
  });
  const simulator = await startSimulator(base, {});
  if (simulator === null) throw new Error('the simulator refused an embedded config');
  const graph = await graphSwitch(simulator.graphBaseUrl);
  const whatsapp = simulator.config.worker.whatsapp;
  if (!whatsapp) throw new Error('the simulator composed no WhatsApp sender');
  const target = options.postgres
    ? appConfigFromEnv({
        KHAACHO_STORE: 'postgres',
        DATABASE_URL: options.postgres.databaseUrl,
        KHAACHO_DB_MIGRATE: 'true',
        REDIS_URL: options.postgres.redis.url,
        KHAACHO_REDIS_PREFIX: options.postgres.redis.prefix,
        KHAACHO_JWT_SECRET: 'simulator-harness-jwt-secret-at-least-32-bytes',
        KHAACHO_HTTP_PORT: '0',
        LOG_LEVEL: process.env.KHAACHO_TEST_LOG_LEVEL ?? 'warn',
      })
    : simulator.config;
  const { composition } = await composeHttp({
    ...target,
    worker: {
      ...target.worker,
      messageSender: 'whatsapp',
      whatsapp: { ...whatsapp, baseUrl: graph.server.url },
    },
  });
  simulator.attach(composition);
  let worker: WorkerHandle | null = null;
  let server: HttpServer | null = null;
  const close = async () => {
    await server?.close(2_000);
    await worker?.stop();
    await composition.close();
    await simulator.close();
    await graph.server.close(1_000);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await composition.ready();
    await loadDemoData(composition);
    // The demo shop ("Demo Kirana Pasal", with credit to spend) and vendor come with the logins.
    await loadDemoLogins(composition, dataDir);
    worker = startWorker(composition, {
      stopTimeoutMs: 5_000,
      operatorPhone: null,
      schedule: { sweep: target.worker.ops.sweep },
    });
    const app = createHttpApp({
      composition,
      authenticator: composition.get(AUTHENTICATOR),
      readiness: readinessOf(composition),
      simulator,
      // 'app': the app's own /webhooks/whatsapp, keyed with the simulator's secrets as `npm start` does.
      ...(options.webhook === 'app' ? { whatsappWebhook: simulator.webhook } : {}),
    });
    const deliveries: WebhookDelivery[] = [];
    const handler = app.callback();
    const witness = async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      deliveries.push({
        signature: req.headers['x-hub-signature-256'] as string | undefined,
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
    };
    server = await startHttpServer(
      (req, res) => {
        if (options.webhook === 'witness' && req.method === 'POST' && req.url === '/webhooks/whatsapp') {
          void witness(req, res);
        } else void handler(req, res);
      },
      { port: 0, host: '127.0.0.1' },
    );
    simulator.listening(server.url);
    return { url: server.url, simulator, composition, deliveries, graph: graph.state, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A pass-through in front of the simulator's Graph stub. While `down`, every request is
 * answered 503 with a Graph-shaped transient error (code 2, "Service temporarily
 * unavailable") and never reaches the stub; `refused` records those requests.
 */
export interface GraphSwitch {
  down: boolean;
  /** The recipient (`to`) of each request refused while down, in order. */
  readonly refused: readonly string[];
}

async function graphSwitch(target: string): Promise<{ server: HttpServer; state: GraphSwitch }> {
  const state = { down: false, refused: [] as string[] };
  const server = await startHttpServer(
    async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (state.down) {
        let to = '';
        try {
          to = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to?: unknown }).to ?? '');
        } catch {
          // Not a message body (a media GET): recorded with no recipient.
        }
        state.refused.push(to);
        res.writeHead(503, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, fbtrace_id: 'x' },
          }),
        );
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    },
    { port: 0, host: '127.0.0.1' },
  );
  return { server, state };
}

export type Role = 'shop' | 'vendor';

export interface ChatBubble {
  readonly direction: 'in' | 'out';
  readonly text: string;
  /** Inbound: the webhook's answer to its delivery ("" while unknown). */
  readonly webhook: string;
  /** The small line under it, as shown: the time and, inbound, the webhook's answer ("…" while unknown). */
  readonly meta: string;
  /** Titles of the buttons or list rows it offers. */
  readonly actions: readonly string[];
}

/** The page object: what a person does on /simulator, by role. */
export class SimulatorPage {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(url: string): Promise<SimulatorPage> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set KHAACHO_TEST_CHROMIUM)`);
    }
    const browser = await launch({
      executablePath: CHROMIUM,
      headless: true,
      // Chromium refuses to start as root without --no-sandbox (CI and containers run as root).
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-dev-shm-usage',
        // A second name for this machine that is not localhost: a page opened on it is an
        // insecure context (no navigator.mediaDevices), as plain http on a LAN address is.
        `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
      ],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 900, height: 860 });
      await page.goto(`${url}/simulator`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      return new SimulatorPage(browser, page);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  private phone(role: Role): string {
    return `[data-testid="phone-${role}"]`;
  }

  /** The phone numbers offered in a phone's dropdown, the selected one first. */
  async parties(role: Role): Promise<{ selected: string; options: string[] }> {
    return this.page.$eval(`${this.phone(role)} select`, (s) => {
      // No DOM lib in this package's types: the select's shape, as used.
      const select = s as unknown as { value: string; options: ArrayLike<{ textContent: string | null }> };
      return { selected: select.value, options: Array.from(select.options, (o) => o.textContent ?? '') };
    });
  }

  async type(role: Role, text: string): Promise<void> {
    await this.page.type(`${this.phone(role)} [data-testid="input"]`, text);
    await this.page.click(`${this.phone(role)} [data-testid="send"]`);
  }

  typeAsShop(text: string): Promise<void> {
    return this.type('shop', text);
  }

  typeAsVendor(text: string): Promise<void> {
    return this.type('vendor', text);
  }

  /** Taps the last offered reply button with this title. */
  async tapButton(role: Role, title: string): Promise<void> {
    const buttons = await this.page.$$(`${this.phone(role)} [data-testid="reply-button"]`);
    for (const button of buttons.reverse()) {
      if ((await button.evaluate((b) => b.textContent)) === title) return button.click();
    }
    throw new Error(`no button "${title}" in the ${role} phone`);
  }

  /** Opens the last list offered and taps its row with this title. */
  async tapListRow(role: Role, title: string): Promise<void> {
    const lists = await this.page.$$(`${this.phone(role)} [data-testid="message-out"]:has([data-testid="list-open"])`);
    const last = lists.at(-1);
    if (!last) throw new Error(`no list in the ${role} phone`);
    await (await last.$('[data-testid="list-open"]'))?.click();
    for (const row of await last.$$('[data-testid="list-row"]')) {
      if ((await row.evaluate((r) => r.querySelector('span')?.textContent)) === title) return row.click();
    }
    throw new Error(`no row "${title}" in the ${role} phone's last list`);
  }

  async messages(role: Role): Promise<ChatBubble[]> {
    return this.page.$$eval(`${this.phone(role)} .bubble`, (bubbles) =>
      bubbles.map((b) => ({
        direction: b.classList.contains('in') ? ('in' as const) : ('out' as const),
        text: b.querySelector('span')?.textContent ?? '',
        webhook: b.getAttribute('data-webhook') ?? '',
        meta: b.querySelector('.meta')?.textContent ?? '',
        actions: [...b.querySelectorAll('[data-testid="reply-button"], [data-testid="list-row"] span')].map(
          (a) => a.textContent ?? '',
        ),
      })),
    );
  }

  /** Waits (polling the page, bounded) until the phone shows a message matching `accept`. */
  async waitForMessage(role: Role, accept: (m: ChatBubble) => boolean, timeoutMs = 30_000): Promise<ChatBubble> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.messages(role)).find(accept);
      if (found) return found;
      if (Date.now() > until) {
        throw new Error(
          `the ${role} phone shows no such message; it shows ${JSON.stringify(await this.messages(role))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A PNG under packages/app-http/test-output/ (gitignored); returns its path. */
  async screenshot(name: string): Promise<string> {
    await mkdir(TEST_OUTPUT, { recursive: true });
    const path = join(TEST_OUTPUT, `${name}.png`) as `${string}.png`;
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}
