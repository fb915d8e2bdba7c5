import { type AuditEntry, type AuditFilter, matchesAuditFilter } from '../auth/audit.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type {
  AuditLog,
  AuthRepositories,
  LoginThrottleRepository,
  OpaqueTokenIssuer,
  PasswordHasher,
  RefreshTokenRepository,
  TotpAuthenticator,
} from '../auth/ports.js';
import type { RefreshTokenRecord } from '../auth/refresh-token.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import type { UserId } from '../shared/ids.js';
import { cmp } from './in-memory-catalog-repositories.js';
import { duplicateKey } from './in-memory-store-errors.js';
import type { StoreAccess } from './in-memory-store.js';

const REFRESH_TOKENS = 'refresh_tokens';
const THROTTLES = 'login_throttles';
const AUDIT = 'audit_log';

export class InMemoryRefreshTokenRepository implements RefreshTokenRepository {
  constructor(private readonly db: StoreAccess) {}

  async insert(record: RefreshTokenRecord): Promise<void> {
    await this.db.write((tx) => {
      if (tx.get(REFRESH_TOKENS, record.id) !== undefined)
        throw duplicateKey('refresh token id exists', 'refresh_tokens_pkey');
      if (tx.values<RefreshTokenRecord>(REFRESH_TOKENS).some((r) => r.digest === record.digest))
        throw duplicateKey('refresh token digest exists', 'refresh_tokens_token_hash_key');
      tx.set(REFRESH_TOKENS, record.id, record);
    });
  }

  async findByDigest(digest: string): Promise<RefreshTokenRecord | null> {
    return (
      this.db
        .read()
        .values<RefreshTokenRecord>(REFRESH_TOKENS)
        .find((r) => r.digest === digest) ?? null
    );
  }

  async markReplaced(id: string, replacedBy: string, _at: Date): Promise<boolean> {
    return this.db.write((tx) => {
      const r = tx.get<RefreshTokenRecord>(REFRESH_TOKENS, id);
      if (r === undefined || r.replacedBy !== null || r.revokedAt !== null) return false;
      tx.set(REFRESH_TOKENS, id, { ...r, replacedBy });
      return true;
    });
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    return this.revokeWhere((r) => r.familyId === familyId, at);
  }

  async revokeAllForUser(userId: UserId, at: Date): Promise<number> {
    return this.revokeWhere((r) => r.userId === userId, at);
  }

  async deleteExpired(before: Date, limit: number): Promise<number> {
    return this.db.write((tx) => {
      const gone = tx
        .values<RefreshTokenRecord>(REFRESH_TOKENS)
        .filter((r) => r.expiresAt.getTime() < before.getTime())
        .slice(0, limit);
      for (const r of gone) tx.delete(REFRESH_TOKENS, r.id);
      return gone.length;
    });
  }

  private revokeWhere(match: (r: RefreshTokenRecord) => boolean, at: Date): Promise<number> {
    return this.db.write((tx) => {
      let n = 0;
      for (const r of tx.values<RefreshTokenRecord>(REFRESH_TOKENS)) {
        if (!match(r) || r.revokedAt !== null) continue;
        tx.set(REFRESH_TOKENS, r.id, { ...r, revokedAt: at });
        n++;
      }
      return n;
    });
  }
}

export class InMemoryLoginThrottleRepository implements LoginThrottleRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(key: string): Promise<LoginThrottle | null> {
    return this.db.read().get<LoginThrottle>(THROTTLES, key) ?? null;
  }

  /** Transactions are serialised here, so a read inside one is already exclusive. */
  async getForUpdate(key: string): Promise<LoginThrottle | null> {
    return this.get(key);
  }

  async save(throttle: LoginThrottle): Promise<void> {
    await this.db.write((tx) => tx.set(THROTTLES, throttle.key, throttle));
  }

  async delete(key: string): Promise<void> {
    await this.db.write((tx) => tx.delete(THROTTLES, key));
  }

  async deleteStale(before: Date, limit: number): Promise<number> {
    const cut = before.getTime();
    return this.db.write((tx) => {
      const gone = tx
        .values<LoginThrottle>(THROTTLES)
        .filter((t) => t.lastFailureAt.getTime() < cut && (t.lockedUntil === null || t.lockedUntil.getTime() < cut))
        .slice(0, limit);
      for (const t of gone) tx.delete(THROTTLES, t.key);
      return gone.length;
    });
  }
}

export class InMemoryAuditLog implements AuditLog {
  constructor(private readonly db: StoreAccess) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db.write((tx) => {
      if (tx.get(AUDIT, entry.id) !== undefined) throw duplicateKey('audit entry exists', 'audit_log_pkey');
      // A deep copy: the log keeps what was appended, whatever the caller does to its objects later.
      tx.set(AUDIT, entry.id, copyEntry(entry));
    });
  }

  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows = this.db
      .read()
      .values<AuditEntry>(AUDIT)
      .filter((e) => matchesAuditFilter(e, filter))
      .sort((a, b) => b.at.getTime() - a.at.getTime() || cmp(b.id, a.id))
      .filter(
        (e) =>
          !after || e.at.getTime() < after.at.getTime() || (e.at.getTime() === after.at.getTime() && e.id < after.id),
      );
    const items = rows.slice(0, limit).map(copyEntry);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
    };
  }
}

/** Entries hold only JSON values besides `at`, so a JSON round trip is an exact deep copy. */
function copyEntry(entry: AuditEntry): AuditEntry {
  return { ...(JSON.parse(JSON.stringify(entry)) as AuditEntry), at: new Date(entry.at.getTime()) };
}

export function inMemoryAuthRepositories(db: StoreAccess): AuthRepositories {
  return {
    refreshTokens: new InMemoryRefreshTokenRepository(db),
    loginThrottles: new InMemoryLoginThrottleRepository(db),
    auditLog: new InMemoryAuditLog(db),
  };
}

/**
 * A password hasher for tests: salted and self-describing like the real ones, but cheap
 * and not cryptographic. `calls` counts the work done, which the tests compare between
 * the unknown-user and wrong-password paths of a login.
 */
export class FakePasswordHasher implements PasswordHasher {
  calls = { hash: 0, verify: 0 };
  private salt = 0;

  async hash(password: string): Promise<string> {
    this.calls.hash++;
    const salt = (++this.salt).toString(36);
    return `fake$${salt}$${fingerprint(salt + password)}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    this.calls.verify++;
    const [scheme, salt, digest] = hash.split('$');
    return scheme === 'fake' && salt !== undefined && digest === fingerprint(salt + password);
  }
}

/** Predictable refresh tokens for tests (`rt-1`, `rt-2` …); the digest differs from the token. */
export class FakeOpaqueTokenIssuer implements OpaqueTokenIssuer {
  private n = 0;

  issue(): { token: string; digest: string } {
    const token = `rt-${++this.n}`;
    return { token, digest: this.digest(token) };
  }

  digest(token: string): string {
    return `digest:${fingerprint(token)}`;
  }
}

/**
 * TOTP for tests: 30 s steps, 6 digits, one step of drift, like the real one, but the code
 * is a fingerprint of secret and step rather than an HMAC. `codeFor` is what the user's
 * app would show.
 */
export class FakeTotpAuthenticator implements TotpAuthenticator {
  private n = 0;

  enrol(accountName: string): { secret: string; uri: string; sealed: string } {
    const secret = `SECRET${++this.n}`;
    return { secret, uri: `otpauth://totp/Khaacho:${accountName}?secret=${secret}`, sealed: `sealed:${secret}` };
  }

  verify(sealed: string, code: string, at: Date): number | null {
    if (!sealed.startsWith('sealed:')) return null;
    const secret = sealed.slice('sealed:'.length);
    const step = Math.floor(at.getTime() / 30_000);
    for (const s of [step - 1, step, step + 1]) if (FakeTotpAuthenticator.code(secret, s) === code) return s;
    return null;
  }

  static codeFor(secret: string, at: Date): string {
    return FakeTotpAuthenticator.code(secret, Math.floor(at.getTime() / 30_000));
  }

  private static code(secret: string, step: number): string {
    return (Number.parseInt(fingerprint(`${secret}:${step}`).slice(0, 8), 16) % 1_000_000).toString().padStart(6, '0');
  }
}

/** FNV-1a, twice with different seeds: distinct enough for test data, never for secrets. */
function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
