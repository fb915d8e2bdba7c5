/**
 * The hexagon's rules, checked in CI (`npm run depcheck`). Dependencies point inward:
 * core imports nothing outside itself: no other package, no I/O module, no framework.
 */
const NPM = ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown', 'aliased'];

module.exports = {
  forbidden: [
    {
      name: 'core-no-packages',
      severity: 'error',
      comment: 'core is pure: it may not import any npm package (frameworks, drivers, ORMs, SDKs).',
      from: { path: '^packages/core/src', pathNot: ['\\.test\\.ts$', '^packages/core/src/testing/arbitraries/'] },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'core-arbitraries-only-fast-check',
      severity: 'error',
      comment:
        "the shared command generators (the './testing/arbitraries' entry) may use fast-check, an optional peer, " +
        'and nothing else from npm; nothing else in core imports them but tests.',
      from: { path: '^packages/core/src/testing/arbitraries/' },
      to: { dependencyTypes: NPM, pathNot: '(^|/)node_modules/fast-check/' },
    },
    {
      name: 'core-arbitraries-only-for-tests',
      severity: 'error',
      comment:
        'the fast-check generators are for tests: the in-memory adapters and the testing index do not load them.',
      from: { path: '^packages/core/src/(?!testing/arbitraries/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/core/src/testing/arbitraries/' },
    },
    {
      name: 'core-tests-only-uvu',
      severity: 'error',
      comment: "core's own tests may use the test runner and fast-check, nothing else from npm.",
      from: { path: '^packages/core/src/.*\\.test\\.ts$' },
      to: { dependencyTypes: NPM, pathNot: '(^|/)node_modules/(uvu|fast-check)/' },
    },
    {
      name: 'core-no-unresolvable',
      severity: 'error',
      comment: 'an import core cannot resolve is most likely a package that is not installed here.',
      from: { path: '^packages/core/src' },
      to: { couldNotResolve: true },
    },
    {
      name: 'core-no-io',
      severity: 'error',
      comment: 'core does no I/O: no Node built-in modules.',
      from: { path: '^packages/core/src', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-other-workspace',
      severity: 'error',
      comment: 'core imports no other Khaacho package.',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(?!core/)' },
    },
    {
      name: 'core-domain-not-testing',
      severity: 'error',
      comment: 'production code never imports the testing entry point.',
      from: { path: '^packages/core/src/(?!testing/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/core/src/testing/' },
    },
    {
      name: 'core-domain-not-corpus',
      severity: 'error',
      comment:
        'the sample catalog and the labelled corpus are for tests, the report and the seed, never for the domain.',
      from: { path: '^packages/core/src/(?!testing/|corpus/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^packages/core/src/corpus/' },
    },
    {
      name: 'adapters-not-apps',
      severity: 'error',
      comment: 'adapters never import apps or other adapters.',
      from: { path: '^packages/adapters-([^/]+)/' },
      to: { path: '^packages/(app-|adapters-(?!$1/))' },
    },
    {
      name: 'apps-testing-adapters-only-in-composition',
      severity: 'error',
      comment:
        "an app reaches core's in-memory adapters (@khaacho/core/testing) only through its composition's " +
        'in-memory module, so test builders and fakes never leak into worker or HTTP code.',
      from: {
        path: '^packages/app-[^/]+/src/',
        pathNot: ['\\.test\\.ts$', '^packages/app-[^/]+/src/testing/', '/composition/in-memory-module\\.ts$'],
      },
      to: { path: '(^|/)packages/core/(src|dist)/testing/' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'production code may not import a devDependency: it is not installed where the package is used. ' +
        'A peer dependency that is also a devDependency (the workspace packages) is fine.',
      from: { path: '^packages/[^/]+/src/', pathNot: ['\\.test\\.ts$', '^packages/[^/]+/src/testing/'] },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['type-only', 'npm-peer'],
        pathNot: '(^|/)node_modules/@types/',
      },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment: "an npm package must be declared in the importing package's package.json (not just be hoisted).",
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // The workspace's own build output is neither cruised nor followed, but an import
    // that resolves into it (another workspace package) still counts against the rules.
    // Only these folders: npm packages ship their entry under dist/ too (kysely, pglite).
    doNotFollow: { path: ['(^|/)node_modules/', '^packages/[^/]+/dist/'] },
    exclude: { path: '^packages/[^/]+/\\.turbo/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    // Shared tooling (uvu, tsx) is declared once, in the root package.json.
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    tsConfig: { fileName: 'tsconfig.base.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
