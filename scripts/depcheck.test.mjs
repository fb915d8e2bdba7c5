// The dependency rule (`npm run depcheck`) is only worth something if it can fail.
// These tests plant forbidden imports in a throwaway copy of the workspace layout and
// expect dependency-cruiser, run with the repository's own config, to report them.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

/**
 * Runs depcruise in `cwd` exactly as `npm run depcheck` does (same config, same reporter,
 * whose exit code CI relies on); resolves to the exit code and the reported violations.
 */
function cruise(cwd) {
  const args = ['packages', '--config', join(root, '.dependency-cruiser.cjs')];
  return new Promise((resolve, reject) => {
    execFile(depcruise, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error && typeof error.code !== 'number') return reject(error);
      // "  error core-no-io: packages/core/src/fs.ts → fs"
      const violations = [...stdout.matchAll(/^\s*error ([\w-]+): (\S+) → (\S+)$/gm)].map(
        ([, rule, from, to]) => `${rule}: ${from} -> ${to}`,
      );
      resolve({ code: error ? error.code : 0, violations });
    });
  });
}

/** A workspace with the real root manifests and node_modules, and the given source files. */
function fixture(files) {
  const dir = mkdtempSync(join(tmpdir(), 'khaacho-depcheck-'));
  for (const name of ['package.json', 'tsconfig.base.json']) copyFileSync(join(root, name), join(dir, name));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const manifest = (name, fields = {}) => JSON.stringify({ name, version: '0.0.0', type: 'module', ...fields });

const violated = (violations, rule, from, to) =>
  violations.some((v) => v.startsWith(`${rule}: ${from} -> `) && v.includes(to));

test('depcheck: the workspace as it is passes', async () => {
  const { code, violations } = await cruise(root);
  assert.equal(violations, []);
  assert.is(code, 0);
});

test('depcheck: core importing npm packages whose entry sits under dist/ (the old blind spot), node:fs or the corpus fails', async () => {
  const dir = fixture({
    'packages/core/package.json': manifest('@khaacho/core'),
    'packages/core/src/kysely.ts': "import { Kysely } from 'kysely';\nexport const k = Kysely;\n",
    'packages/core/src/pglite.ts': "import { PGlite } from '@electric-sql/pglite';\nexport const p = PGlite;\n",
    'packages/core/src/fs.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    // The sample catalog and corpus are for tests and tools: the parser may not lean on them.
    'packages/core/src/corpus/index.ts': 'export const catalog = [];\n',
    'packages/core/src/parsing/parser.ts': "import { catalog } from '../corpus/index.js';\nexport const c = catalog;\n",
    'packages/core/src/parsing/parser.test.ts':
      "import { catalog } from '../corpus/index.js';\nexport const c = catalog;\n",
  });
  try {
    const { code, violations } = await cruise(dir);
    assert.is.not(code, 0, 'depcruise must exit non-zero');
    for (const [file, to] of [
      ['kysely.ts', 'node_modules/kysely/dist/'],
      ['pglite.ts', 'node_modules/@electric-sql/pglite/dist/'],
    ]) {
      const from = `packages/core/src/${file}`;
      assert.ok(
        violated(violations, 'core-no-packages', from, to),
        `core-no-packages ${file}\n${violations.join('\n')}`,
      );
      assert.ok(violated(violations, 'no-non-package-json', from, to), `no-non-package-json ${file}`);
    }
    assert.ok(violated(violations, 'core-no-io', 'packages/core/src/fs.ts', 'fs'), violations.join('\n'));
    const parser = 'packages/core/src/parsing/parser';
    assert.ok(violated(violations, 'core-domain-not-corpus', `${parser}.ts`, 'packages/core/src/corpus/'));
    assert.not.ok(
      violations.some((v) => v.includes(`${parser}.test.ts`)),
      'tests may use the corpus',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('depcheck: an adapter importing a devDependency or an undeclared package in production code fails', async () => {
  const dir = fixture({
    'packages/adapters-x/package.json': manifest('@khaacho/adapters-x', { devDependencies: { kysely: '*' } }),
    'packages/adapters-x/src/dev-dep.ts': "import { Kysely } from 'kysely';\nexport const k = Kysely;\n",
    'packages/adapters-x/src/undeclared.ts': "import { Command } from 'commander';\nexport const c = Command;\n",
    // Tests may use devDependencies: this one must not be reported.
    'packages/adapters-x/src/dev-dep.test.ts': "import { Kysely } from 'kysely';\nexport const k = Kysely;\n",
  });
  try {
    const { code, violations } = await cruise(dir);
    assert.is.not(code, 0, 'depcruise must exit non-zero');
    const x = 'packages/adapters-x/src';
    assert.ok(violated(violations, 'not-to-dev-dep', `${x}/dev-dep.ts`, 'node_modules/kysely/'), violations.join('\n'));
    assert.ok(violated(violations, 'no-non-package-json', `${x}/undeclared.ts`, 'node_modules/commander/'));
    assert.not.ok(
      violations.some((v) => v.includes(`${x}/dev-dep.test.ts`)),
      violations.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('depcheck: core importing a container, or app code other than the in-memory module importing core/testing, fails', async () => {
  const dir = fixture({
    'packages/core/package.json': manifest('@khaacho/core'),
    'packages/core/src/di.ts': "import { Container } from 'inversify';\nexport const c = Container;\n",
    'packages/app-x/package.json': manifest('@khaacho/app-x'),
    // Relative paths: resolving @khaacho/core from a fixture would leave depcruise's base folder.
    'packages/core/src/testing/index.ts': 'export const anOrder = 1;\n',
    'packages/app-x/src/worker.ts':
      "import { anOrder } from '../../core/src/testing/index.js';\nexport const o = anOrder;\n",
    'packages/app-x/src/composition/in-memory-module.ts':
      "import { anOrder } from '../../../core/src/testing/index.js';\nexport const c = anOrder;\n",
    'packages/app-x/src/worker.test.ts':
      "import { anOrder } from '../../core/src/testing/index.js';\nexport const o = anOrder;\n",
  });
  try {
    const { code, violations } = await cruise(dir);
    assert.is.not(code, 0, 'depcruise must exit non-zero');
    assert.ok(
      violated(violations, 'core-no-packages', 'packages/core/src/di.ts', 'node_modules/inversify/'),
      violations.join('\n'),
    );
    const rule = 'apps-testing-adapters-only-in-composition';
    assert.ok(violated(violations, rule, 'packages/app-x/src/worker.ts', 'packages/core/'), violations.join('\n'));
    assert.not.ok(
      violations.some((v) => v.includes('in-memory-module.ts')),
      violations.join('\n'),
    );
    assert.not.ok(
      violations.some((v) => v.includes('worker.test.ts')),
      violations.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
