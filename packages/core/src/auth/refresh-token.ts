import type { UserId } from '../shared/ids.js';

/** One refresh token as stored: only its digest, never the token. */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly userId: UserId;
  /** The login session it belongs to; every rotation stays in the family. */
  readonly familyId: string;
  readonly digest: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** The token that replaced this one at rotation; set once. */
  readonly replacedBy: string | null;
}

export type RefreshTokenState = 'live' | 'expired' | 'replaced' | 'revoked';

export function refreshTokenState(record: RefreshTokenRecord, now: Date): RefreshTokenState {
  if (record.revokedAt !== null) return 'revoked';
  if (record.replacedBy !== null) return 'replaced';
  if (record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'live';
}
