import {
  AUTH_USE_CASES,
  type AuthUseCases,
  CLOCK,
  type Clock,
  createAuthUseCases,
  OPAQUE_TOKEN_ISSUER,
  type OpaqueTokenIssuer,
  PASSWORD_HASHER,
  type PasswordHasher,
  TOTP_AUTHENTICATOR,
  type TotpAuthenticator,
  USE_CASE_CONTEXT,
  type UseCaseContext,
} from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { JwtAccessTokens } from './access-tokens.js';
import { type AuthHttpConfig, checkAuthHttpConfig } from './auth-config.js';
import { ACCESS_TOKENS, AUTH_HTTP_CONFIG } from './auth-module-tokens.js';
import { AUTHENTICATOR, type Authenticator, JwtAuthenticator } from './authenticator.js';
import { DEFAULT_SCRYPT, ScryptPasswordHasher } from './password-hasher.js';
import { RandomRefreshTokens } from './refresh-tokens.js';
import { RfcTotpAuthenticator } from './totp.js';

/**
 * Binds AUTHENTICATOR and what the auth routes need, over the container's USE_CASE_CONTEXT
 * and CLOCK (app-worker's composition binds both): PASSWORD_HASHER (scrypt),
 * OPAQUE_TOKEN_ISSUER (random refresh tokens, SHA-256 digests), TOTP_AUTHENTICATOR (RFC 6238,
 * AES-GCM-sealed secrets), AUTH_USE_CASES,
 * ACCESS_TOKENS (HS256 JWTs) and AUTH_HTTP_CONFIG. The config is checked here, at load.
 */
export function authModule(config: AuthHttpConfig): ContainerModule {
  const checked = checkAuthHttpConfig(config);
  return new ContainerModule(({ bind }) => {
    bind<AuthHttpConfig>(AUTH_HTTP_CONFIG).toConstantValue(checked);
    bind<PasswordHasher>(PASSWORD_HASHER)
      .toResolvedValue(() => new ScryptPasswordHasher(checked.scrypt ?? DEFAULT_SCRYPT))
      .inSingletonScope();
    bind<OpaqueTokenIssuer>(OPAQUE_TOKEN_ISSUER)
      .toResolvedValue(() => new RandomRefreshTokens())
      .inSingletonScope();
    bind<TotpAuthenticator>(TOTP_AUTHENTICATOR)
      .toResolvedValue(() => new RfcTotpAuthenticator(checked.totpSealKey ?? checked.jwtSecret, 'Khaacho'))
      .inSingletonScope();
    bind<AuthUseCases>(AUTH_USE_CASES)
      .toResolvedValue(
        (ctx: UseCaseContext, hasher: PasswordHasher, tokens: OpaqueTokenIssuer, totp: TotpAuthenticator) =>
          createAuthUseCases(ctx, {
            hasher,
            tokens,
            totp,
            settings: { refreshTtlMs: checked.refreshTtlSeconds * 1000 },
          }),
        [USE_CASE_CONTEXT, PASSWORD_HASHER, OPAQUE_TOKEN_ISSUER, TOTP_AUTHENTICATOR],
      )
      .inSingletonScope();
    bind<JwtAccessTokens>(ACCESS_TOKENS)
      .toResolvedValue((clock: Clock) => new JwtAccessTokens(checked, clock), [CLOCK])
      .inSingletonScope();
    bind<Authenticator>(AUTHENTICATOR)
      .toResolvedValue(
        (tokens: JwtAccessTokens, auth: AuthUseCases) => new JwtAuthenticator(tokens, auth),
        [ACCESS_TOKENS, AUTH_USE_CASES],
      )
      .inSingletonScope();
  });
}
