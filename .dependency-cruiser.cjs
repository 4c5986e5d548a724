/**
 * The lab's layering, checked by `npm run lint` (and so by `npm test`); docs/architecture.md explains it.
 *
 * Shared layers: app/engine, app/run, app/models, app/ui, app/room, app/lessons. Every other folder under app/
 * is a feature (measure, cost, compare, hardware, history, and whatever comes next), except app/bench, the bench CLI's
 * entry pages. Features import shared layers only; app.tsx composes them and passes data down.
 */
const SHARED = '(?:engine|run|models|ui|room|lessons)';
/** A folder under app/ that is neither a shared layer nor the bench pages: a feature. */
const FEATURE = `^app/(?!${SHARED}/|bench/)([^/]+)/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'feature-imports-feature',
      severity: 'error',
      comment:
        'A feature imports shared layers only (engine, run, models, ui), never another feature: ' +
        'app.tsx reads one feature and passes what another needs down as props.',
      // $1 is the importing feature's folder (FEATURE's only capturing group).
      from: { path: FEATURE },
      to: { path: `^app/(?!${SHARED}/)[^/]+/`, pathNot: '^app/$1/' },
    },
    {
      name: 'shared-imports-feature',
      severity: 'error',
      comment: 'Shared layers (engine, run, models, ui) sit below every feature and import none of them.',
      from: { path: `^app/${SHARED}/` },
      to: { path: '^app/', pathNot: `^app/${SHARED}/` },
    },
    {
      name: 'bench-imports-feature',
      severity: 'error',
      comment: 'The bench pages measure the engine as the lab runs it, through shared layers only.',
      from: { path: '^app/bench/' },
      to: { path: '^app/', pathNot: [`^app/${SHARED}/`, '^app/bench/'] },
    },
    {
      name: 'only-main-imports-app',
      severity: 'error',
      comment: 'app.tsx composes the features; nothing below it reaches back up.',
      from: { path: '^app/', pathNot: '^app/main\\.tsx$' },
      to: { path: '^app/app\\.tsx$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one, and makes load order matter.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would hide an edge from the rules above.',
      from: {},
      // Vite's asset suffixes (?url, ?raw, ?worker) name files that Vite, not the resolver, turns into modules.
      to: { couldNotResolve: true, pathNot: '\\?(?:url|raw|worker)$' },
    },
  ],
  options: {
    // The room server (server/) is not part of the lab's layering; tests of app/room/ run against it.
    doNotFollow: { path: ['node_modules', '^server/'] },
    // Type-only imports are dependencies of the design too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
