// Helpers for the fault tests in src/faults (excluded from the build): a redis-server of the
// test's own, a database of its own, and worker processes (src/main.ts) whose logs are kept.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { admin, scratchDatabase } from './scratch-database.js';

/*
 * A redis-server on a free port, killed with SIGKILL by its pid: the machine's shared Redis
 * is never touched. By default nothing is persisted, so a restart is a fresh, empty server
 * (as after a crash of a Redis without persistence); see `OwnRedisOptions.aofDir`. The same idea as adapters-redis' test helper,
 * which that package does not export.
 */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: () => number | null;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
  /** Start again on the same port. */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export interface OwnRedisOptions {
  /**
   * Keep an append-only file in this folder, fsynced on every write (`appendfsync always`):
   * a restart after SIGKILL comes back with every acknowledged write, as a Redis deployed
   * with AOF does. Without it a restart is a fresh, empty server.
   */
  readonly aofDir?: string;
}

export async function startOwnRedis(options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const persistence = options.aofDir
    ? ['--dir', options.aofDir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const launch = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
      stdio: 'ignore',
    });
    child = proc;
    for (let i = 0; i < 250; i++) {
      if (await answersPing(port)) return;
      if (proc.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${proc.exitCode}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`redis-server on ${port} did not answer`);
  };
  const kill = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = once(proc, 'exit');
    proc.kill('SIGKILL');
    await gone;
  };
  await launch();
  return { port, url: `redis://127.0.0.1:${port}`, pid: () => child?.pid ?? null, kill, restart: launch };
}

/** A PostgreSQL database of the test's own on the server of DATABASE_URL. */
export interface OwnDatabase {
  readonly url: string;
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export async function createOwnDatabase(label: string): Promise<OwnDatabase> {
  const database = scratchDatabase(`khaacho_${label}`);
  await database.create();
  const url = database.url.toString();
  let pool: pg.Pool | null = null;
  return {
    url,
    query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
      pool ??= new pg.Pool({ connectionString: url, max: 2 });
      return (await pool.query<R>(sql, params)).rows;
    },
    drop: async () => {
      await pool?.end();
      pool = null;
      // Let closing pools finish first (bounded): `with (force)` on a pool's idle connection
      // makes that pool emit an 'error' nobody listens to any more.
      for (let i = 0; i < 100; i++) {
        const [row] = (await admin('select count(*)::int as n from pg_stat_activity where datname = $1', [
          database.name,
        ])) as { n: number }[];
        if (row?.n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await database.drop();
    },
  };
}

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** `src/main.ts` as a child process (tsx), its stdout JSON lines kept. */
export interface WorkerProcess {
  readonly pid: number;
  readonly lines: () => Record<string, unknown>[];
  readonly stderr: () => string;
  readonly closed: () => boolean;
  /** Resolves with [code, signal] once the process is gone. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  kill(signal: NodeJS.Signals): Promise<[number | null, NodeJS.Signals | null]>;
  /** Resolves with the first line matching `match` (checked on every chunk, so a kill can follow it at once). */
  firstLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', KHAACHO_WORKER_HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const parsed: Record<string, unknown>[] = [];
  const watchers: {
    match: (line: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      parsed.push(line);
      for (const w of [...watchers]) {
        if (w.match(line)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let closed = false;
  const exited = once(child, 'close').then((args) => {
    closed = true;
    return args as [number | null, NodeJS.Signals | null];
  });
  return {
    pid: child.pid as number,
    lines: () => parsed,
    stderr: () => stderr,
    closed: () => closed,
    exited,
    kill: (signal) => {
      if (!closed) process.kill(child.pid as number, signal);
      return exited;
    },
    firstLine: (match) => {
      const found = parsed.find(match);
      if (found) return Promise.resolve(found);
      // A worker that exits before the line would otherwise leave the test waiting forever.
      const gone = exited.then(([code, signal]) => {
        if (closed && !parsed.some(match)) throw new Error(`the worker exited (${code ?? signal}): ${stderr}`);
        return new Promise<never>(() => {});
      });
      return Promise.race([new Promise<Record<string, unknown>>((resolve) => watchers.push({ match, resolve })), gone]);
    },
  };
}

/** The order id an offer message is about (its Accept button is `offer:accept:<orderId>`). */
export function offeredOrderOf(line: Record<string, unknown>): string | null {
  if (line.msg !== 'message sent (logged, not delivered)') return null;
  const buttons = (line.message as { buttons?: unknown } | undefined)?.buttons;
  const accept = Array.isArray(buttons) ? buttons.find((b) => String(b).startsWith('offer:accept:')) : undefined;
  return accept === undefined ? null : String(accept).slice('offer:accept:'.length);
}
