// What a user of the packages meets: pack them, install the tarballs into a fresh
// project with the strictest settings (skipLibCheck off, so every shipped .d.ts is
// checked), compile the examples there and run them. Prints the tarball sizes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['core', 'adapters-postgres', 'adapters-redis', 'adapters-ai', 'adapters-whatsapp'];
const work = mkdtempSync(join(tmpdir(), 'khaacho-consumer-'));
const keep = process.argv.includes('--keep');
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const deps = {};
  for (const pkg of packages) {
    const dir = join(root, 'packages', pkg);
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], dir));
    const file = join(work, packed.filename);
    console.log(
      `${packed.name}: ${(statSync(file).size / 1024).toFixed(1)} kB packed, ` +
        `${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files`,
    );
    deps[packed.name] = `file:./${packed.filename}`;
  }
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify(
      {
        name: 'khaacho-consumer',
        private: true,
        type: 'module',
        dependencies: deps,
        devDependencies: { '@types/node': rootPkg.devDependencies['@types/node'] },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          outDir: 'dist',
          rootDir: 'src',
        },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  cpSync(join(root, 'examples', 'src'), join(work, 'src'), { recursive: true });
  copyFileSync(join(root, 'examples', 'run-examples.mjs'), join(work, 'run-examples.mjs'));
  console.log(`installing the tarballs into ${work}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], work);
  console.log('type-checking and compiling the examples (strict, exactOptionalPropertyTypes, skipLibCheck: false)');
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', work], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(work, 'run-examples.mjs'), '--compiled', join(work, 'dist')], {
    cwd: work,
    stdio: 'inherit',
  });
  console.log('consumer check passed');
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
