import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthHttpConfig } from '../auth/auth-config.js';
import type { AppConfig } from './http-config.js';

export const JWT_SECRET_FILE = 'jwt-secret';

export interface ResolvedSecret {
  readonly secret: string;
  /** environment: KHAACHO_JWT_SECRET; data-dir: generated once, read back on each start; process: this run only. */
  readonly source: 'environment' | 'data-dir' | 'process';
}

/**
 * The token key: KHAACHO_JWT_SECRET when set (required on PostgreSQL, checked by the config).
 * Zero-config `npm start` (embedded) generates 48 random bytes into `<dataDir>/jwt-secret`
 * (mode 0600) on the first start and reads it back later, so a restart keeps sessions and
 * TOTP enrolments (the TOTP seal key derives from it). In memory nothing outlives the
 * process, so neither does its key.
 */
export async function resolveJwtSecret(config: AppConfig): Promise<ResolvedSecret> {
  if (config.http.auth.jwtSecret !== null) return { secret: config.http.auth.jwtSecret, source: 'environment' };
  if (config.worker.store === 'memory') return { secret: randomBytes(48).toString('base64url'), source: 'process' };
  if (config.worker.store === 'postgres') throw new Error('KHAACHO_JWT_SECRET is required with DATABASE_URL');
  const dir = config.worker.postgres.dataDir;
  if (dir?.startsWith('memory://')) return { secret: randomBytes(48).toString('base64url'), source: 'process' };
  if (!dir) throw new Error('the embedded store has no data dir to keep its token key in');
  await mkdir(dir, { recursive: true });
  const file = join(dir, JWT_SECRET_FILE);
  try {
    // `wx`: two processes starting on one fresh data dir cannot both write a key; the loser reads the winner's.
    await writeFile(file, `${randomBytes(48).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (Buffer.byteLength(secret, 'utf8') < 32) throw new Error(`${file} holds a key shorter than 32 bytes`);
  return { secret, source: 'data-dir' };
}

export async function authHttpConfigOf(
  config: AppConfig,
): Promise<AuthHttpConfig & { source: ResolvedSecret['source'] }> {
  const { secret, source } = await resolveJwtSecret(config);
  return {
    jwtSecret: secret,
    issuer: config.http.auth.issuer,
    accessTtlSeconds: config.http.auth.accessTtlSeconds,
    refreshTtlSeconds: config.http.auth.refreshTtlSeconds,
    source,
  };
}
