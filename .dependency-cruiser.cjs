/**
 * The house's import rules, checked by `npm run lint:deps` inside `npm test`.
 * docs/architecture.md draws the layers and explains each rule by its name here.
 *
 * Every import between two of our folders must match an entry in `allowed`; anything else
 * is a violation. Layers, lowest first — a folder may import only folders listed for it:
 */
const layers = {
  "lib/core": [],
  "lib/config": ["lib/core"],
  "lib/observability": ["lib/core", "lib/config"],
  "lib/providers": ["lib/core"],
  "lib/schemas": ["lib/core", "lib/providers"],
  "lib/insight": ["lib/core", "lib/providers", "lib/schemas"],
  "lib/store": ["lib/core", "lib/config", "lib/observability"],
  "lib/jwks": ["lib/core", "lib/config", "lib/observability", "lib/store"],
  "lib/demo": ["lib/core", "lib/observability", "lib/store", "lib/providers"],
  "lib/snippets": ["lib/core", "lib/providers", "lib/schemas"],
  "lib/services": ["lib/core", "lib/config", "lib/observability", "lib/providers", "lib/schemas", "lib/insight", "lib/store", "lib/jwks", "lib/demo", "lib/snippets"],
  "lib/gateway": ["lib/core", "lib/config", "lib/observability", "lib/store", "lib/services"],
  "lib/runtime": ["lib/core", "lib/config", "lib/observability", "lib/store", "lib/jwks", "lib/services"],
  "lib/api": ["lib/core", "lib/config", "lib/observability", "lib/providers", "lib/schemas", "lib/store", "lib/jwks", "lib/demo", "lib/services", "lib/gateway", "lib/runtime"],
  "lib/console": ["lib/core", "lib/config", "lib/observability", "lib/providers", "lib/schemas", "lib/insight", "lib/store", "lib/jwks", "lib/demo", "lib/snippets", "lib/services", "lib/runtime"],
  "lib/server": ["lib/core", "lib/config", "lib/observability", "lib/providers", "lib/schemas", "lib/store", "lib/jwks", "lib/demo", "lib/services", "lib/gateway", "lib/runtime", "lib/api", "lib/console"],
  "lib/cli": ["lib/core", "lib/config", "lib/observability", "lib/schemas", "lib/store", "lib/services", "lib/runtime", "lib/server"],
};

/** A folder (or top-level file) of lib/ as a path pattern. */
const dir = (name) => `^${name}(/|\\.tsx?$)`;

/**
 * Console UI: components may use client-safe layers, the forms' plain vocabulary and call server
 * actions; app/ uses anything in lib and components. The schemas and the advisor are the
 * server's (reached through actions): they bring zod and CEL.
 */
const uiAllowed = ["lib/core", "lib/providers", "lib/snippets", "lib/console/actions", "lib/schemas/vocabulary"];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A cycle makes two modules one; break it by moving the shared piece down a layer.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-is-framework-free",
      comment: "lib/core decides; it knows nothing of Next, React, Hono, Kysely, SQL drivers or node:http.",
      severity: "error",
      from: { path: dir("lib/core"), pathNot: "\\.test\\.tsx?$" },
      to: { path: ["node_modules/(next|react|react-dom|hono|@hono|kysely|pg|better-sqlite3|undici)/", "^(http|https|net|node:http|node:https|node:net)$"] },
    },
    {
      name: "components-not-app",
      comment: "components/ is reusable UI; pages in app/ compose it, never the reverse.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "zod-and-cel-stay-on-the-server",
      comment:
        "The console's pages stay light (docs/architecture.md#page-weight): forms are checked and rules advised on the server, through actions; components use the schemas and the matcher for types only.",
      severity: "error",
      from: { path: "^components/", pathNot: "\\.test\\.tsx?$" },
      to: { path: ["^node_modules/(zod|@marcbachmann/cel-js)/", "^lib/core/(cel|match|tenant-pin)\\.ts$"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "production-not-tests",
      comment: "Production code never imports tests, test servers or benchmarks.",
      severity: "error",
      from: { path: "^(lib|app|components)/", pathNot: "\\.test\\.tsx?$" },
      to: { path: ["\\.test\\.tsx?$", "^e2e/", "^bench/"] },
    },
  ],
  allowed: [
    // Within a folder, and to npm packages / Node built-ins.
    { from: { path: "^(lib/[^/.]+|app|components|e2e|bench)/" }, to: { path: "$1/" } },
    { from: {}, to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown", "core", "type-only"], pathNot: "^(lib|app|components|e2e|bench)/" } },
    // Layers, downwards only.
    ...Object.entries(layers).flatMap(([from, tos]) =>
      tos.length ? [{ from: { path: dir(from), pathNot: "\\.test\\.tsx?$" }, to: { path: tos.map(dir) } }] : [],
    ),
    // The UI.
    { from: { path: "^components/", pathNot: "\\.test\\.tsx?$" }, to: { path: uiAllowed.map(dir) } },
    // ... and the types of what crosses to the client (DTOs, results) from any layer: no code comes along.
    { from: { path: "^components/" }, to: { path: "^lib/", dependencyTypes: ["type-only"] } },
    { from: { path: "^app/" }, to: { path: ["^components/", "^lib/"] } },
    // Tests may reach anything they exercise; test servers and benchmarks likewise.
    { from: { path: "\\.test\\.tsx?$" }, to: { path: ["^(lib|app|components|e2e)/"] } },
    // The npm package `proxy` (a real HTTP proxy for the outbound-proxy tests) is resolved by
    // dependency-cruiser's tsconfig paths to the top-level proxy.ts of the same name.
    { from: { path: "\\.test\\.tsx?$" }, to: { path: "^proxy\\.ts$" } },
    { from: { path: "^(e2e|bench)/" }, to: { path: ["^(lib|e2e|bench)/"] } },
  ],
  allowedSeverity: "error",
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^\\.next"] },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
