import type { ScryptParameters } from './password-hasher.js';

export interface AuthHttpConfig {
  /** HS256 key for access tokens: at least 32 bytes. Every API instance shares it. */
  readonly jwtSecret: string;
  /** Access token lifetime (short: a revoked session lasts at most this long on that token). */
  readonly accessTtlSeconds: number;
  /** Refresh token lifetime; each rotation starts a new one. */
  readonly refreshTtlSeconds: number;
  /** `iss` of every token, checked on every request. */
  readonly issuer: string;
  /**
   * Key sealing TOTP secrets (≥ 32 bytes). Default: the jwtSecret (stretched with a distinct
   * HKDF label), which then must not change while enrolments should stay valid.
   */
  readonly totpSealKey?: string;
  /** scrypt cost (default DEFAULT_SCRYPT); lower only in tests. */
  readonly scrypt?: ScryptParameters;
}

/** Refuses a config that would make tokens weak or meaningless, at startup rather than at the first login. */
export function checkAuthHttpConfig(config: AuthHttpConfig): AuthHttpConfig {
  const problems: string[] = [];
  if (new TextEncoder().encode(config.jwtSecret).byteLength < 32) problems.push('jwtSecret must be at least 32 bytes');
  const seconds = (v: number) => Number.isSafeInteger(v) && v >= 1;
  if (!seconds(config.accessTtlSeconds)) problems.push('accessTtlSeconds must be a whole number ≥ 1');
  if (!seconds(config.refreshTtlSeconds)) problems.push('refreshTtlSeconds must be a whole number ≥ 1');
  if (
    seconds(config.accessTtlSeconds) &&
    seconds(config.refreshTtlSeconds) &&
    config.refreshTtlSeconds <= config.accessTtlSeconds
  ) {
    problems.push('refreshTtlSeconds must be longer than accessTtlSeconds');
  }
  if (config.totpSealKey !== undefined && new TextEncoder().encode(config.totpSealKey).byteLength < 32) {
    problems.push('totpSealKey must be at least 32 bytes');
  }
  if (typeof config.issuer !== 'string' || config.issuer.trim() === '') problems.push('issuer is required');
  if (problems.length > 0) throw new RangeError(`invalid auth config: ${problems.join('; ')}`);
  return config;
}
