// The direction of dependencies, checked by `npm test` (npm run check:dependencies) with dependency-cruiser.
// Each library sits on a layer and may import only the layers below it (and itself); nothing may import in a
// cycle; the pure core imports no framework; a library is entered through its index.ts. The README's
// "How the code is laid out" draws the same picture.

/** Lowest first. `may` lists what a layer may import besides itself. */
const LAYERS = [
  { name: 'domain', path: 'libs/domain', may: [] },
  { name: 'calendar', path: 'libs/calendar', may: ['libs/domain'] },
  { name: 'logging', path: 'libs/logging', may: ['libs/domain'] },
  { name: 'ledger', path: 'libs/ledger', may: ['libs/domain', 'libs/calendar'] },
  { name: 'workflows', path: 'workflows', may: ['libs/domain', 'libs/calendar'] },
  { name: 'access', path: 'libs/access', may: ['libs/domain', 'libs/calendar', 'workflows'] },
  // Identity and the engine are siblings: neither imports the other (identity asks problems through its own port).
  { name: 'identity', path: 'libs/identity', may: ['libs/domain', 'libs/calendar', 'libs/logging', 'workflows', 'libs/access'] },
  { name: 'engine', path: 'libs/engine', may: ['libs/domain', 'libs/calendar', 'libs/ledger', 'workflows', 'libs/access'] },
  { name: 'scheduler', path: 'libs/scheduler', may: ['libs/domain', 'libs/calendar', 'workflows', 'libs/access', 'libs/engine'] },
  {
    name: 'events',
    path: 'libs/events',
    may: ['libs/domain', 'libs/calendar', 'libs/logging', 'workflows', 'libs/access', 'libs/identity', 'libs/engine'],
  },
  {
    name: 'notify',
    path: 'libs/notify',
    may: ['libs/domain', 'libs/calendar', 'libs/logging', 'workflows', 'libs/access', 'libs/identity', 'libs/engine', 'libs/events'],
  },
  // The adapters implement every library's ports; configuration reads every library's public options.
  { name: 'persistence', path: 'libs/persistence', may: ['libs/(?!config/)[^/]+', 'workflows'] },
  { name: 'config', path: 'libs/config', may: ['libs/[^/]+', 'workflows'] },
];

/** What the pure core (domain, calendar, ledger, workflows) may never import. */
const FRAMEWORKS = '^node_modules/(@nestjs/|typeorm/|class-validator/|class-transformer/|express/|pg/|better-sqlite3/|reflect-metadata/|helmet/)';
const SOURCE = '^(libs|workflows|apps|bench)/';
const TESTS = '(\\.spec\\.ts$|^test/)';

module.exports = {
  forbidden: [
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'Every import resolves (an import the cruiser cannot follow would escape every rule below).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Imports run in one direction: a cycle means two modules need each other, and one of them is in the wrong place.',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.map((layer) => ({
      name: `layer-${layer.name}`,
      severity: 'error',
      comment: `${layer.path} may import only ${layer.may.length ? layer.may.join(', ') : 'itself'} (the layers below it).`,
      from: { path: `^${layer.path}/`, pathNot: TESTS },
      to: { path: SOURCE, pathNot: [`^${layer.path}/`, ...layer.may.map((allowed) => `^${allowed}/`)] },
    })),
    {
      name: 'libs-below-apps',
      severity: 'error',
      comment: 'Libraries and workflows never import an application.',
      from: { path: '^(libs|workflows)/' },
      to: { path: '^(apps|bench)/' },
    },
    {
      name: 'pure-core',
      severity: 'error',
      comment: 'The domain, calendars, ledger definitions and workflows are pure: no framework, ORM or driver.',
      from: { path: '^(libs/(domain|calendar|ledger)|workflows)/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'library-entrance',
      severity: 'error',
      comment: 'Another library is entered through its index.ts (its public surface), not through a file inside it.',
      from: { path: '^libs/([^/]+)/', pathNot: TESTS },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'library-entrance-from-apps',
      severity: 'error',
      comment: 'Applications enter a library through its index.ts.',
      from: { path: '^(apps|bench)/' },
      to: { path: '^(libs/[^/]+/src/|workflows/[^/]+/)', pathNot: '^(libs/[^/]+/src|workflows/[^/]+)/index\\.ts$' },
    },
    {
      name: 'workflow-entrance',
      severity: 'error',
      comment: 'The workflow is entered through workflows/<name>/index.ts.',
      from: { path: '^libs/', pathNot: TESTS },
      to: { path: '^workflows/[^/]+/', pathNot: '^workflows/[^/]+/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The package's own aliases (#domain, …) resolve to their TypeScript sources, as tsc resolves them.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'require', 'node', 'default'] },
  },
};
