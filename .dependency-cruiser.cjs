// npm run lint runs this (npm run deps): the folder tree is the architecture, so folders under
// src/services must not depend on each other in a circle. Type-only imports count: a type that two
// folders both need belongs to one of them (or to a third both import), not to a loop.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles-in-services',
      comment:
        'Folders under src/services form a circle of imports. Move the shared types or functions ' +
        'to the folder that owns them (see docs/architecture.md), do not silence this rule.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/services/[^/]+/?$' },
      to: { path: '^src/services/[^/]+/?$', circular: true },
    },
  ],
  options: {
    // TypeScript 7's compiler has no JavaScript API yet: swc parses the sources.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
