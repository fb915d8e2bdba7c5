// The seam with app-http (notes/seam-auth-http.md): what its composition loads and mounts.
export { type AccessTokenConfig, JwtAccessTokens, type SignedAccessToken } from './access-tokens.js';
export { type AuthHttpConfig, checkAuthHttpConfig } from './auth-config.js';
export { authModule } from './auth-module.js';
export { ACCESS_TOKENS, AUTH_HTTP_CONFIG } from './auth-module-tokens.js';
export {
  AUTH_ROUTES,
  accountJson,
  confirmTotpRoute,
  enrolTotpRoute,
  loginRoute,
  logoutRoute,
  meRoute,
  refreshRoute,
  registerRoute,
} from './auth-routes.js';
export { AUTHENTICATOR, type Authenticator, JwtAuthenticator, type Principal } from './authenticator.js';
export { type CreateUserInput, createUserWithPassword } from './create-user.js';
export { DEFAULT_SCRYPT, type ScryptParameters, ScryptPasswordHasher } from './password-hasher.js';
export { RandomRefreshTokens } from './refresh-tokens.js';
export { hotp, RfcTotpAuthenticator, totpCode } from './totp.js';
export { ACCOUNT_SCHEMA, AUTH_ROUTE_SCHEMAS, PRINCIPAL_SCHEMA } from './schemas.js';
