import { type Composition, composeContainer } from '@khaacho/app-worker/composition';
import { authModule } from './auth/auth-module.js';
import type { AppConfig } from './config/http-config.js';
import { authHttpConfigOf, type ResolvedSecret } from './config/jwt-secret.js';

export interface HttpComposition {
  readonly composition: Composition;
  /** Where the token key came from (the banner says so). */
  readonly secretSource: ResolvedSecret['source'];
}

/**
 * The shared composition plus the auth module (AUTHENTICATOR, AUTH_USE_CASES, tokens): what
 * the HTTP process and the `create-admin` command both run on. There is no composition of
 * this app without authentication.
 */
export async function composeHttp(config: AppConfig): Promise<HttpComposition> {
  const { source, ...auth } = await authHttpConfigOf(config);
  const composition = await composeContainer(config.worker);
  try {
    composition.container.load(authModule(auth));
  } catch (error) {
    await composition.close();
    throw error;
  }
  return { composition, secretSource: source };
}
