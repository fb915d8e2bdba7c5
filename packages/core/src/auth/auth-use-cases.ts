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
import { type AuthServices, authContext } from './auth-context.js';
import { GetActivePrincipal, Login, Logout, RotateRefreshToken } from './sessions.js';

/** The auth use cases over one context: what app-http builds once at startup. */
export function createAuthUseCases(ctx: UseCaseContext, services: AuthServices) {
  const auth = authContext(ctx, services);
  return {
    registerAccount: new RegisterAccount(auth),
    approveAccount: new ApproveAccount(auth),
    rejectAccount: new RejectAccount(auth),
    createStaffUser: new CreateStaffUser(auth),
    createPartyUser: new CreatePartyUser(auth),
    listAccounts: new ListAccounts(auth),
    login: new Login(auth),
    rotateRefreshToken: new RotateRefreshToken(auth),
    logout: new Logout(auth),
    getActivePrincipal: new GetActivePrincipal(auth),
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
  login: 'Login',
  rotateRefreshToken: 'RotateRefreshToken',
  logout: 'Logout',
  getActivePrincipal: 'GetActivePrincipal',
});
