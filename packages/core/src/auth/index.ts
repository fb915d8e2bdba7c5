// Authentication: accounts, passwords (hashed outside core), sessions with rotating
// refresh tokens, login throttling and the audit log.
export {
  type AccountDecisionCommand,
  type AccountView,
  accountView,
  ApproveAccount,
  CreatePartyUser,
  type CreatePartyUserCommand,
  CreateStaffUser,
  type CreateStaffUserCommand,
  ListAccounts,
  type ListAccountsQuery,
  RegisterAccount,
  type RegisterAccountCommand,
  RejectAccount,
} from './accounts.js';
export {
  type AuthServices,
  type AuthSettings,
  DEFAULT_AUTH_SETTINGS,
  type LoginIdentifier,
  parseLoginIdentifier,
  type Principal,
  principalOf,
} from './auth-context.js';
export {
  AUDIT_PAGE_MAX,
  ListAuditLog,
  type ListAuditLogQuery,
  RecordStaffAction,
  type RecordStaffActionCommand,
} from './audit-query.js';
export { AUTH_USE_CASE_TOKENS, AUTH_USE_CASES, type AuthUseCases, createAuthUseCases } from './auth-use-cases.js';
export {
  AUTH_AUDIT_ACTIONS,
  type AuditActor,
  type AuditEntry,
  type AuditFilter,
  matchesAuditFilter,
  NO_REQUEST_META,
  type RequestMeta,
} from './audit.js';
export {
  checkThrottle,
  DEFAULT_IDENTIFIER_THROTTLE,
  DEFAULT_IP_THROTTLE,
  identifierThrottleKey,
  ipThrottleKey,
  type LoginThrottle,
  type LoginThrottlePolicy,
  recordFailure,
  type ThrottleDecision,
} from './login-throttle.js';
export {
  AUTH_REPOSITORY_TOKENS,
  type AuditLog,
  type AuthRepositories,
  type LoginThrottleRepository,
  OPAQUE_TOKEN_ISSUER,
  type OpaqueTokenIssuer,
  PASSWORD_HASHER,
  type PasswordHasher,
  type RefreshTokenRepository,
  TOTP_AUTHENTICATOR,
  type TotpAuthenticator,
} from './ports.js';
export { type RefreshTokenRecord, type RefreshTokenState, refreshTokenState } from './refresh-token.js';
export {
  GetActivePrincipal,
  Login,
  type LoginCommand,
  Logout,
  type LogoutCommand,
  PurgeAuthRecords,
  type RefreshCommand,
  RotateRefreshToken,
  type SessionGrant,
} from './sessions.js';
export {
  ConfirmTotp,
  EnrolTotp,
  type TotpConfirmationCommand,
  type TotpEnrolmentCommand,
  type TotpEnrolmentView,
} from './totp.js';
