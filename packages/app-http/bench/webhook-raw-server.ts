/*
 * The baseline, in its own process: a bare Koa route that reads the body as text and does one
 * INSERT of it (raw `pg`, a pool of 10 as the app's) into a table of its own, then answers 200.
 * No signature, no parsing into events, no inbox semantics, no logging.
 */
import Koa from 'koa';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query('create table if not exists bench_raw_webhook (id bigserial primary key, body jsonb not null)');
const koa = new Koa();
koa.use(async (ctx) => {
  if (ctx.method !== 'POST' || ctx.path !== '/webhook') return;
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  await pool.query('insert into bench_raw_webhook (body) values ($1::jsonb)', [Buffer.concat(chunks).toString('utf8')]);
  ctx.status = 200;
  ctx.body = 'ok';
});
const server = koa.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ url: `http://127.0.0.1:${port}`, pid: process.pid });
});
process.on('message', (message) => {
  if (message !== 'stop') return;
  server.close(() => {
    pool.end().then(() => process.exit(0));
  });
  server.closeAllConnections();
});
