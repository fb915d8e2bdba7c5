// Runs uvu and fails when any test did not pass. uvu alone can exit 0 with failures:
// its reporter crashes on an error whose `details` is not a string (every core
// DomainError carries a details object), printing "(0 / N)" and no FAIL line.
// Usage (from a package): node ../../scripts/uvu.mjs <uvu arguments>
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

// uvu's package exports hide its bin; the workspace installs it once, at the root.
const uvuBin = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));
const child = spawn(process.execPath, [uvuBin, ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });

let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code, signal) => {
  const plain = stripVTControlCharacters(out);
  const count = (label) => Number(plain.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? Number.NaN);
  const total = count('Total');
  const passed = count('Passed');
  if (code !== 0 || signal) process.exit(code || 1);
  if (!(total >= 0) || !(passed >= 0)) {
    console.error('uvu printed no summary: the run did not finish');
    process.exit(1);
  }
  if (passed < total) {
    const failing = [...plain.matchAll(/^(\S.*)\n\s+\((\d+) \/ (\d+)\)/gm)]
      .filter((m) => m[2] !== m[3])
      .map((m) => `  ${m[1]} (${m[2]} / ${m[3]})`);
    console.error(
      `\n${total - passed} of ${total} tests did not pass, and uvu could not report them ` +
        '(a thrown error whose `details` is an object). Files:\n' +
        `${failing.join('\n')}\nCatch the error in the test and assert on its code to see it.`,
    );
    process.exit(1);
  }
});
