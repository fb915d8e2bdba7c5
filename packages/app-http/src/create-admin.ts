#!/usr/bin/env node
// `npm run create-admin -- --email root@example.com [--phone +977…] [--password …] [--force]`
// The first ADMIN of a deployment (self-registration never makes one). Same configuration as
// the server (DATABASE_URL, KHAACHO_DATA_DIR, KHAACHO_JWT_SECRET …), so the TOTP secret it
// enrols is sealed with the key the server will open it with.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError } from '@khaacho/app-worker';
import { AUTH_USE_CASES, DomainError, REPOSITORY_TOKENS, type Token } from '@khaacho/core';
import { createUserWithPassword } from './auth/create-user.js';
import { composeHttp } from './compose-http.js';
import { appConfigFromEnv } from './config/http-config.js';

const USAGE = `usage: create-admin --email <email> [--phone <phone>] [--password <password>] [--force]
  --password   at least 10 characters; default: KHAACHO_ADMIN_PASSWORD, else a generated one (printed once)
  --force      create another ADMIN although one exists`;

/** 0 created; 1 refused (an admin exists, bad input, duplicate); 64 usage; 78 configuration. */
async function main(): Promise<number> {
  let args: { email?: string; phone?: string; password?: string; force?: boolean; help?: boolean };
  try {
    ({ values: args } = parseArgs({
      options: {
        email: { type: 'string' },
        phone: { type: 'string' },
        password: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 64;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.email) {
    process.stderr.write(`--email is required\n${USAGE}\n`);
    return 64;
  }
  let config: ReturnType<typeof appConfigFromEnv>;
  try {
    config = appConfigFromEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  } catch (error) {
    if (!ConfigError.is(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 78;
  }
  if (config.worker.store === 'memory') {
    process.stderr.write('KHAACHO_STORE=memory keeps nothing: an admin made here would vanish on exit\n');
    return 1;
  }
  const generated = args.password === undefined && !process.env.KHAACHO_ADMIN_PASSWORD;
  const password = args.password ?? process.env.KHAACHO_ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
  const { composition } = await composeHttp(config);
  try {
    const resolve = <T>(t: Token<T>) => composition.get<T>(t);
    const admins = await resolve(REPOSITORY_TOKENS.users).list({ role: 'ADMIN' }, { limit: 1 });
    if (admins.items.length > 0 && !args.force) {
      process.stderr.write(
        'an ADMIN exists already; admins create users in the API (POST /api/v1/accounts/staff), or pass --force\n',
      );
      return 1;
    }
    const account = await createUserWithPassword(resolve, {
      role: 'ADMIN',
      email: args.email,
      ...(args.phone ? { phone: args.phone } : {}),
      password,
    });
    // An ADMIN logs in with a second factor only: enrol now, and let them confirm with a first code.
    const enrolment = await resolve(AUTH_USE_CASES).enrolTotp.execute({
      identifier: account.email ?? args.email,
      password,
    });
    if (!enrolment.ok) throw new DomainError(enrolment.error.kind, enrolment.error.code, enrolment.error.message);
    process.stdout.write(
      [
        `created ADMIN ${account.email} (${account.id})`,
        ...(generated ? [`  password     ${password}   (generated: shown once, keep it)`] : []),
        `  TOTP secret  ${enrolment.value.secret}`,
        `  otpauth URI  ${enrolment.value.uri}`,
        '  Add it to an authenticator app, then confirm with its current code:',
        `  curl -X POST <server>/api/v1/auth/totp/confirm -H 'Content-Type: application/json' \\`,
        `       -d '{"identifier":"${account.email}","password":"…","code":"123456"}'`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!DomainError.is(error)) throw error;
    process.stderr.write(`refused: ${error.code}: ${error.message}\n`);
    return 1;
  } finally {
    await composition.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`create-admin failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
