/**
 * The layers of docs/design: api/cli → services → store/evidence/extract → domain, web → domain.
 * test/support/ may be imported by any test (no-test-code-in-src keeps it out of production code).
 * There are no known violations: `npm run check:layers` fails on any.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes the load order decide behaviour; split the shared part out.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a .ts import with its extension included).',
      from: {},
      // virtual:vigil-vocabularies is made by the web app's Vite plugin at build time.
      to: { couldNotResolve: true, pathNot: '^virtual:' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ is pure and shared with the web app: it imports nothing of Vigil outside domain/.',
      from: { path: '^src/domain/' },
      to: { path: '^(src|web|test|bench|scripts|bin)/', pathNot: ['^src/domain/', '^test/support/'] },
    },
    {
      name: 'store-imports-domain-only',
      severity: 'error',
      comment: 'store/ is the lowest layer with I/O: it imports only store/ and domain/.',
      from: { path: '^src/store/' },
      to: { path: '^(src|web|test|bench|scripts|bin)/', pathNot: ['^src/(store|domain)/', '^test/support/'] },
    },
    {
      name: 'evidence-imports-domain-only',
      severity: 'error',
      comment:
        'evidence/ imports only evidence/ and domain/, and from extract/ only its HTML-to-text module, so a page gives the same text through capture and extraction (never the reverse: extract/ imports no evidence/).',
      from: { path: '^src/evidence/' },
      to: {
        path: '^(src|web|test|bench|scripts|bin)/',
        pathNot: ['^src/(evidence|domain)/', '^src/extract/html[.]ts$', '^test/support/'],
      },
    },
    {
      name: 'extract-imports-domain-only',
      severity: 'error',
      comment:
        'extract/ imports only extract/ and domain/ (not store/, not evidence/: what both need goes to domain/).',
      from: { path: '^src/extract/' },
      to: { path: '^(src|web|test|bench|scripts|bin)/', pathNot: ['^src/(extract|domain)/', '^test/support/'] },
    },
    {
      name: 'services-below-api-and-cli',
      severity: 'error',
      comment: 'services/ use store/, evidence/, extract/ and domain/; never api/ or cli/.',
      from: { path: '^src/services/' },
      to: { path: '^(src/(api|cli|demo)|web|test|bench|scripts|bin)/', pathNot: '^test/support/' },
    },
    {
      name: 'api-and-cli-through-services',
      severity: 'error',
      comment: 'api/ and cli/ call services/ and use domain/; they do not reach into store/, evidence/ or extract/.',
      from: { path: '^src/(api|cli)/' },
      to: { path: '^src/(store|evidence|extract)/' },
    },
    {
      name: 'api-and-cli-apart',
      severity: 'error',
      comment: 'api/ and cli/ are two doors onto the same services; neither imports the other.',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'api-and-cli-call-service-entry-points',
      severity: 'error',
      comment:
        'From services/, api/ and cli/ import the entry points (*.service.ts) and context.ts only; the parts without the suffix are used by services alone.',
      from: { path: '^src/(api|cli)/' },
      to: { path: '^src/services/', pathNot: ['[.]service[.]ts$', '^src/services/context[.]ts$'] },
    },
    {
      name: 'cli-not-api',
      severity: 'error',
      comment: 'cli/ does not import api/; `vigil serve` alone starts the server (serve-starts-the-server).',
      from: { path: '^src/cli/', pathNot: '^src/cli/commands/serve[.]ts$' },
      to: { path: '^src/api/' },
    },
    {
      name: 'serve-starts-the-server',
      severity: 'error',
      comment:
        'The one place the CLI reaches the HTTP layer: `vigil serve` is the composition root of the server process (it opens the store and the keys as every command does, then hands the services to startServer). It imports api/server.ts and nothing else of api/.',
      from: { path: '^src/cli/commands/serve[.]ts$' },
      to: { path: '^src/api/', pathNot: '^src/api/server[.]ts$' },
    },
    {
      name: 'web-imports-web-and-domain',
      severity: 'error',
      comment: 'The web app imports only itself and src/domain/ (types, vocabularies, pure rules).',
      from: { path: '^web/src/' },
      to: { path: '^(src|test|bench|scripts|bin)/', pathNot: '^src/domain/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      comment: 'Production code does not import tests or test support.',
      from: { path: '^(src|web/src|bin)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '(^test/|\\.test\\.tsx?$)' },
    },
    {
      name: 'no-dev-dependency-in-src',
      severity: 'error',
      comment: 'Production code does not import a devDependency (it is absent in a production install).',
      from: { path: '^(src|bin)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
