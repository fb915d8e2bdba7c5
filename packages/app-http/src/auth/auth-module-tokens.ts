import { type Token, token } from '@khaacho/core';
import type { JwtAccessTokens } from './access-tokens.js';
import type { AuthHttpConfig } from './auth-config.js';

export const ACCESS_TOKENS: Token<JwtAccessTokens> = token('JwtAccessTokens');
export const AUTH_HTTP_CONFIG: Token<AuthHttpConfig> = token('AuthHttpConfig');
