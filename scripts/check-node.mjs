// npm itself may run on an older system Node; the pinned `node` devDependency puts
// Node 24 first on PATH for npm scripts. If that install step was skipped we would
// silently test on the wrong runtime, so fail loudly instead.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `Khaacho needs Node 24 (found ${process.version} at ${process.execPath}).\n` +
      `Run the install with the pinned Node: npx -y -p node@24.21.0 -c 'npm ci'`,
  );
  process.exit(1);
}
