import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { migrateDown, migrateUp, migrationStatus } from './migrations-runner.js';
import { createOrm } from './orm/create-orm.js';
import { createTestDatabase } from './testing/test-database.js';

/*
 * Migration20261206091000_phone_one_party on data written before it: a number held by both a
 * retailer and a vendor stops the migration with a message saying so (nothing half-applied);
 * once an operator has given the number to one party, it runs and registers every number.
 */
const test = suite('phone_one_party migration on existing data');
const NAME = 'Migration20261206091000_phone_one_party';

test('a shared number stops it with a clear message; resolved, it registers every party’s number', async () => {
  const db = await createTestDatabase();
  const orm = await createOrm({ clientUrl: db.url, poolMax: 2 });
  try {
    await migrateUp(orm);
    const executed = (await migrationStatus(orm)).executed;
    const at = executed.indexOf(NAME);
    assert.ok(at >= 0, 'applied');
    // Back to just before it (and whatever came after it).
    assert.ok((await migrateDown(orm, executed.length - at)).includes(NAME));
    const conn = orm.em.fork().getConnection();
    const shared = '+9779800000077';
    await conn.execute(
      `insert into retailers values ('00000000-0000-7000-8000-0000000000a1', 'Shop', '${shared}', 'a', 'd', null, null, 'ACTIVE', now(), now()),
         ('00000000-0000-7000-8000-0000000000a2', 'Shop 2', '+9779800000078', 'a', 'd', null, null, 'ACTIVE', now(), now())`,
    );
    await conn.execute(
      `insert into vendors values ('00000000-0000-7000-8000-0000000000b1', 'Vendor', '${shared}', '{a}', 5, null, null, 'ACTIVE', now(), now())`,
    );
    const refused = await migrateUp(orm).then(
      () => 'migrated',
      (error: unknown) => String((error as { message?: string }).message ?? error),
    );
    assert.match(refused, /phone_one_party: 1 phone number\(s\) belong to both a retailer and a vendor/);
    assert.not.ok((await migrationStatus(orm)).executed.includes(NAME), 'not applied');

    await conn.execute(`update vendors set phone = '+9779800000079' where id = '00000000-0000-7000-8000-0000000000b1'`);
    await migrateUp(orm);
    const rows = await conn.execute<{ phone: string; party_kind: string }[]>(
      'select phone, party_kind from party_phones order by phone',
    );
    assert.equal(
      rows.map((r) => [r.phone, r.party_kind]),
      [
        [shared, 'retailer'],
        ['+9779800000078', 'retailer'],
        ['+9779800000079', 'vendor'],
      ],
      'every existing number registered',
    );
    let taken = '';
    try {
      await conn.execute(`update vendors set phone = '${shared}' where id = '00000000-0000-7000-8000-0000000000b1'`);
    } catch (error) {
      taken = String((error as { constraint?: string }).constraint ?? error);
    }
    assert.is(taken, 'party_phones_pkey', 'from now on the registry refuses it');
  } finally {
    await orm.close(true);
    await db.drop();
  }
});

test.run();
