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
    {
      name: 'services-below-the-app',
      comment:
        'src/services is the domain: it never imports the composition root, the start-up tools or ' +
        'the Discord shells. Declare the narrow interface it needs (a port) and let src/app pass it in.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(app|cli|commands|events)/|^src/index\\.ts$' },
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
