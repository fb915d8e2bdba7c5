import { createHash, randomBytes } from 'node:crypto';
import type { OpaqueTokenIssuer } from '@khaacho/core';

/**
 * Refresh tokens: 32 random bytes, base64url (43 characters). The store keeps only their
 * SHA-256 (base64url). No salt or slow hash is needed: the token has 256 bits of entropy,
 * so its digest cannot be reversed by guessing, and a plain digest can be looked up.
 */
export class RandomRefreshTokens implements OpaqueTokenIssuer {
  issue(): { token: string; digest: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, digest: this.digest(token) };
  }

  digest(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('base64url');
  }
}
