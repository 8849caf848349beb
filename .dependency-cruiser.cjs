/**
 * Module boundaries, checked by `pnpm lint` (docs/architecture.md explains each rule).
 * dependency-cruiser because the rules are about paths between folders (a module may reach another only
 * through its index.ts, read only its own tables), which it states with one regular expression per rule.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and hides which module owns what.',
      from: { path: '^(bff|shared|miniprogram)/src' },
      to: { circular: true },
    },
    {
      name: 'shared-knows-no-side',
      severity: 'error',
      comment: 'shared/ is used by both sides; it may not import either of them.',
      from: { path: '^shared/src' },
      to: { path: '^(bff|miniprogram)/' },
    },
    {
      name: 'sides-apart',
      severity: 'error',
      comment: 'The mini-program and the BFF meet only through shared/ and HTTP.',
      from: { path: '^miniprogram/src' },
      to: { path: '^bff/' },
    },
    {
      name: 'bff-not-from-miniprogram',
      severity: 'error',
      from: { path: '^bff/src' },
      to: { path: '^miniprogram/' },
    },
    {
      name: 'module-through-index',
      severity: 'warn',
      comment: 'Another module is reached only through its index.ts, its public surface.',
      from: { path: '^bff/src/modules/([^/]+)/' },
      to: { path: '^bff/src/modules/', pathNot: ['^bff/src/modules/$1/', '^bff/src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'app-through-index',
      severity: 'warn',
      comment: 'Plugins, the app, the CLI and the seed reach a module only through its index.ts.',
      from: { path: '^bff/src/(?!modules/)' },
      to: { path: '^bff/src/modules/', pathNot: '^bff/src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'own-tables-only',
      severity: 'warn',
      comment:
        'A module imports the schema file of its own tables, plus the reference tables every module may read ' +
        '(communities, buildings, units, persons). Another module’s tables are reached through its index.ts.',
      from: { path: '^bff/src/modules/([^/]+)/' },
      to: {
        path: '^bff/src/db/schema/',
        pathNot: ['^bff/src/db/schema/$1\\.ts$', '^bff/src/db/schema/(communities|persons|columns)\\.ts$'],
      },
    },
    {
      name: 'tabs-not-from-subpackages',
      severity: 'warn',
      comment: 'A tab page is in the main package; importing from a subpackage pulls it into the main package.',
      from: { path: '^miniprogram/src/(pages|components|hooks|services|stores|utils)/' },
      to: { path: '^miniprogram/src/packages/' },
    },
    {
      name: 'subpackages-apart',
      severity: 'warn',
      comment: 'A subpackage does not import another; what two use lives in src/components or src/hooks.',
      from: { path: '^miniprogram/src/packages/([^/]+)/' },
      to: { path: '^miniprogram/src/packages/', pathNot: '^miniprogram/src/packages/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(node_modules|/dist/|\\.d\\.ts$)' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
