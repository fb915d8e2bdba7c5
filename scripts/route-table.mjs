#!/usr/bin/env node
// The API's routes as a Markdown table (method, path, roles, rate-limit class), read from the
// built route declarations, so a closing note or a doc lists what the code serves, not a copy.
//   npm run build && node scripts/route-table.mjs > routes.md
import { API_ROUTES } from '../packages/app-http/dist/routes/api-routes.js';

const PREFIX = '/api/v1';
// What mountRoutes applies to a route that names no class.
const DEFAULT_RATE_CLASS = 'api';

const rolesOf = (access) =>
  access === 'public' ? 'public' : Array.isArray(access) ? access.join(', ') : String(access);
const rows = API_ROUTES.map((route) => ({
  method: route.method.toUpperCase(),
  path: PREFIX + route.path,
  roles: rolesOf(route.access),
  rate: route.rateLimit ?? DEFAULT_RATE_CLASS,
}));
// `|` inside a cell would break the table; none is expected, but a path or role never should.
const cell = (text) => String(text).replaceAll('|', '\\|');
const lines = [
  `${rows.length} routes under \`${PREFIX}\` (from \`API_ROUTES\`; rate class \`${DEFAULT_RATE_CLASS}\` unless the route names another).`,
  '',
  '| method | path | roles | rate class |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.method} | \`${cell(r.path)}\` | ${cell(r.roles)} | ${r.rate} |`),
];
console.log(lines.join('\n'));
