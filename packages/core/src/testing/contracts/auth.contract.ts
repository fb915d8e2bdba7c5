import type { AuditEntry } from '../../auth/audit.js';
import type { RefreshTokenRecord } from '../../auth/refresh-token.js';
import { ConflictError, ErrorCodes } from '../../shared/errors.js';
import type { IdGenerator, UserId } from '../../shared/ids.js';
import { aUser } from '../builders.js';
import { type Contract, errorWith, expectEqual, expectRejects, expectTrue } from '../contract.js';
import { caseTools, type PersistenceSubject } from './persistence-subject.js';

function aToken(ids: IdGenerator, userId: UserId, familyId: string, now: Date, digest: string): RefreshTokenRecord {
  return {
    id: ids.next(),
    userId,
    familyId,
    digest,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
    revokedAt: null,
    replacedBy: null,
  };
}

export const refreshTokenRepositoryContract: Contract<PersistenceSubject> = {
  name: 'RefreshTokenRepository',
  cases: [
    {
      name: 'stores by digest; a digest is unique (ENTITY.DUPLICATE)',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const user = aUser(ids, now);
        await repos.users.save(user);
        const t = aToken(ids, user.id, ids.next(), now, 'd1');
        await repos.refreshTokens.insert(t);
        expectEqual(await repos.refreshTokens.findByDigest('d1'), t, 'round trip');
        expectEqual(await repos.refreshTokens.findByDigest('d2'), null, 'absent');
        await expectRejects(
          repos.refreshTokens.insert(aToken(ids, user.id, ids.next(), now, 'd1')),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'same digest',
        );
      },
    },
    {
      name: 'markReplaced succeeds once, and never on a revoked token',
      async run({ repos, uow }) {
        const { ids, clock, now } = caseTools();
        const user = aUser(ids, now);
        await repos.users.save(user);
        const family = ids.next();
        const a = aToken(ids, user.id, family, now, 'a');
        const b = aToken(ids, user.id, family, now, 'b');
        await repos.refreshTokens.insert(a);
        const at = clock.advance(1000);
        expectEqual(
          await uow.run(async (tx) => tx.refreshTokens.markReplaced(a.id, b.id, at)),
          true,
          'first rotation wins',
        );
        expectEqual(await repos.refreshTokens.markReplaced(a.id, ids.next(), at), false, 'second loses');
        expectEqual((await repos.refreshTokens.findByDigest('a'))?.replacedBy, b.id, 'replacedBy kept');
        await repos.refreshTokens.insert(b);
        await repos.refreshTokens.revokeFamily(family, at);
        expectEqual(await repos.refreshTokens.markReplaced(b.id, ids.next(), at), false, 'revoked');
      },
    },
    {
      name: 'revokeFamily and revokeAllForUser revoke the tokens not revoked yet, and count them',
      async run({ repos }) {
        const { ids, clock, now } = caseTools();
        const u1 = aUser(ids, now);
        const u2 = aUser(ids, now);
        await repos.users.save(u1);
        await repos.users.save(u2);
        const f1 = ids.next();
        const f2 = ids.next();
        for (const [u, f, d] of [
          [u1, f1, 'x1'],
          [u1, f1, 'x2'],
          [u1, f2, 'x3'],
          [u2, ids.next(), 'x4'],
        ] as const) {
          await repos.refreshTokens.insert(aToken(ids, u.id, f, now, d));
        }
        const at = clock.advance(5000);
        expectEqual(await repos.refreshTokens.revokeFamily(f1, at), 2, 'family of two');
        expectEqual(await repos.refreshTokens.revokeFamily(f1, clock.advance(1)), 0, 'again: none live');
        expectEqual((await repos.refreshTokens.findByDigest('x1'))?.revokedAt, at, 'first revocation time kept');
        expectEqual((await repos.refreshTokens.findByDigest('x3'))?.revokedAt, null, 'other family untouched');
        expectEqual(await repos.refreshTokens.revokeAllForUser(u1.id, at), 1, 'the rest of u1');
        expectEqual((await repos.refreshTokens.findByDigest('x4'))?.revokedAt, null, 'other user untouched');
      },
    },
    {
      name: 'deleteExpired removes tokens expired before the cut, in batches',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const user = aUser(ids, now);
        await repos.users.save(user);
        const hour = 3_600_000;
        for (const [digest, expiresIn] of [
          ['old1', -3 * hour],
          ['old2', -2 * hour],
          ['old3', -2 * hour],
          ['fresh', hour],
        ] as const) {
          const t = aToken(ids, user.id, ids.next(), now, digest);
          await repos.refreshTokens.insert({ ...t, expiresAt: new Date(now.getTime() + expiresIn) });
        }
        const cut = new Date(now.getTime() - hour);
        expectEqual(await repos.refreshTokens.deleteExpired(cut, 2), 2, 'first batch');
        expectEqual(await repos.refreshTokens.deleteExpired(cut, 2), 1, 'the rest');
        expectEqual(await repos.refreshTokens.deleteExpired(cut, 2), 0, 'nothing left');
        expectTrue((await repos.refreshTokens.findByDigest('fresh')) !== null, 'a live token stays');
      },
    },
  ],
};

export const loginThrottleRepositoryContract: Contract<PersistenceSubject> = {
  name: 'LoginThrottleRepository',
  cases: [
    {
      name: 'saves, updates, reads (also for update in a transaction) and deletes per key',
      async run({ repos, uow }) {
        const { clock, now } = caseTools();
        expectEqual(await repos.loginThrottles.get('id:ram@shop.np'), null, 'absent');
        const t = { key: 'id:ram@shop.np', failures: 1, windowStartedAt: now, lastFailureAt: now, lockedUntil: null };
        await repos.loginThrottles.save(t);
        expectEqual(await repos.loginThrottles.get(t.key), t, 'round trip');
        const later = clock.advance(1000);
        await uow.run(async (tx) => {
          const current = await tx.loginThrottles.getForUpdate(t.key);
          expectEqual(current, t, 'for update');
          await tx.loginThrottles.save({ ...t, failures: 2, lastFailureAt: later, lockedUntil: later });
        });
        expectEqual(
          await repos.loginThrottles.get(t.key),
          { ...t, failures: 2, lastFailureAt: later, lockedUntil: later },
          'updated',
        );
        expectEqual(await uow.run((tx) => tx.loginThrottles.getForUpdate('ip:10.0.0.1')), null, 'absent for update');
        await repos.loginThrottles.delete(t.key);
        await repos.loginThrottles.delete(t.key);
        expectEqual(await repos.loginThrottles.get(t.key), null, 'deleted (twice is fine)');
      },
    },
    {
      name: 'deleteStale removes idle counters, never one still locked',
      async run({ repos }) {
        const { now } = caseTools();
        const at = (ms: number) => new Date(now.getTime() + ms);
        const base = { failures: 3, windowStartedAt: at(-10_000), lockedUntil: null };
        await repos.loginThrottles.save({ ...base, key: 'id:idle', lastFailureAt: at(-5_000) });
        await repos.loginThrottles.save({ ...base, key: 'id:recent', lastFailureAt: at(1_000) });
        await repos.loginThrottles.save({
          ...base,
          key: 'id:locked',
          lastFailureAt: at(-5_000),
          lockedUntil: at(60_000),
        });
        expectEqual(await repos.loginThrottles.deleteStale(now, 10), 1, 'only the idle one');
        expectEqual(await repos.loginThrottles.get('id:idle'), null, 'gone');
        expectTrue((await repos.loginThrottles.get('id:locked')) !== null, 'a lock stays');
        expectTrue((await repos.loginThrottles.get('id:recent')) !== null, 'a recent one stays');
      },
    },
  ],
};

function anEntry(ids: IdGenerator, at: Date, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: ids.next(),
    at,
    actor: { type: 'user', id: ids.next(), role: 'ADMIN' },
    action: 'auth.approve',
    target: { type: 'user', id: ids.next() },
    before: { status: 'PENDING_APPROVAL', nested: { list: [1, 'दाल', null] } },
    after: { status: 'ACTIVE' },
    details: { reason: 'KYC checked 🙂' },
    ip: '203.0.113.9',
    requestId: 'req-1',
    ...overrides,
  };
}

export const auditLogContract: Contract<PersistenceSubject> = {
  name: 'AuditLog',
  cases: [
    {
      name: 'appends and lists newest first with a stable cursor; JSON before/after round trip',
      async run({ repos }) {
        const { ids, clock } = caseTools();
        const made: AuditEntry[] = [];
        for (let i = 0; i < 5; i++) {
          const e = anEntry(
            ids,
            clock.advance(1000),
            i === 0
              ? {
                  actor: { type: 'anonymous', id: null, role: null },
                  target: null,
                  before: null,
                  after: null,
                  ip: null,
                  requestId: null,
                  details: {},
                }
              : {},
          );
          made.push(e);
          await repos.auditLog.append(e);
        }
        const first = await repos.auditLog.list({}, { limit: 2 });
        const second = await repos.auditLog.list({}, { limit: 2, cursor: first.nextCursor });
        const third = await repos.auditLog.list({}, { limit: 2, cursor: second.nextCursor });
        expectEqual(
          [...first.items, ...second.items, ...third.items],
          [...made].reverse(),
          'newest first, each once, intact',
        );
        expectEqual(third.nextCursor, null, 'last page');
      },
    },
    {
      name: 'filters by action, actor, target and time',
      async run({ repos }) {
        const { ids, clock } = caseTools();
        const a = anEntry(ids, clock.advance(1000), { action: 'auth.login' });
        const b = anEntry(ids, clock.advance(1000));
        const c = anEntry(ids, clock.advance(1000), { actor: a.actor, target: b.target });
        for (const e of [a, b, c]) await repos.auditLog.append(e);
        const ids1 = async (f: Parameters<typeof repos.auditLog.list>[0]) =>
          (await repos.auditLog.list(f, { limit: 10 })).items.map((e) => e.id);
        expectEqual(await ids1({ action: 'auth.login' }), [a.id], 'action');
        expectEqual(await ids1({ actorId: a.actor.id ?? '' }), [c.id, a.id], 'actor');
        expectTrue(b.target !== null, 'b has a target');
        expectEqual(await ids1({ target: b.target }), [c.id, b.id], 'target');
        expectEqual(await ids1({ from: b.at, to: c.at }), [b.id], 'time window, end exclusive');
      },
    },
    {
      name: 'an entry id is written once; the stored entry is a copy',
      async run({ repos }) {
        const { ids, now } = caseTools();
        const e = anEntry(ids, now);
        await repos.auditLog.append(e);
        await expectRejects(
          repos.auditLog.append({ ...e, action: 'auth.reject' }),
          errorWith(ConflictError.is, ErrorCodes.DUPLICATE),
          'same id',
        );
        (e.details as Record<string, unknown>).reason = 'changed afterwards';
        expectEqual(
          (await repos.auditLog.list({}, { limit: 5 })).items[0]?.details,
          { reason: 'KYC checked 🙂' },
          'kept as appended',
        );
      },
    },
  ],
};
