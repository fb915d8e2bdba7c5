import type { UseCaseContext } from '../application/context.js';
import { type Token, type TokenMap, token, tokenMap } from '../shared/token.js';
import {
  ApproveAccount,
  CreatePartyUser,
  CreateStaffUser,
  ListAccounts,
  RegisterAccount,
  RejectAccount,
} from './accounts.js';
import { ListAuditLog, RecordStaffAction } from './audit-query.js';
import { type AuthServices, authContext } from './auth-context.js';
import { CredentialCheck } from './credentials.js';
import { GetActivePrincipal, Login, Logout, PurgeAuthRecords, RotateRefreshToken } from './sessions.js';
import { ConfirmTotp, EnrolTotp } from './totp.js';

/** The auth use cases over one context: what app-http builds once at startup. */
export function createAuthUseCases(ctx: UseCaseContext, services: AuthServices) {
  const auth = authContext(ctx, services);
  // One per process: it holds the dummy hash every password check verifies unknown users against.
  const credentials = new CredentialCheck(auth);
  return {
    registerAccount: new RegisterAccount(auth),
    approveAccount: new ApproveAccount(auth),
    rejectAccount: new RejectAccount(auth),
    createStaffUser: new CreateStaffUser(auth),
    createPartyUser: new CreatePartyUser(auth),
    listAccounts: new ListAccounts(auth),
    listAuditLog: new ListAuditLog(auth),
    recordStaffAction: new RecordStaffAction(auth),
    login: new Login(auth, credentials),
    enrolTotp: new EnrolTotp(auth, credentials),
    confirmTotp: new ConfirmTotp(auth, credentials),
    rotateRefreshToken: new RotateRefreshToken(auth),
    logout: new Logout(auth),
    getActivePrincipal: new GetActivePrincipal(auth),
    purgeAuthRecords: new PurgeAuthRecords(auth),
  };
}

export type AuthUseCases = ReturnType<typeof createAuthUseCases>;

export const AUTH_USE_CASES: Token<AuthUseCases> = token('AuthUseCases');

export const AUTH_USE_CASE_TOKENS: TokenMap<AuthUseCases> = tokenMap<AuthUseCases>({
  registerAccount: 'RegisterAccount',
  approveAccount: 'ApproveAccount',
  rejectAccount: 'RejectAccount',
  createStaffUser: 'CreateStaffUser',
  createPartyUser: 'CreatePartyUser',
  listAccounts: 'ListAccounts',
  listAuditLog: 'ListAuditLog',
  recordStaffAction: 'RecordStaffAction',
  login: 'Login',
  enrolTotp: 'EnrolTotp',
  confirmTotp: 'ConfirmTotp',
  rotateRefreshToken: 'RotateRefreshToken',
  logout: 'Logout',
  getActivePrincipal: 'GetActivePrincipal',
  purgeAuthRecords: 'PurgeAuthRecords',
});
