// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Drivers and I/O a pure room must not touch: it is a function of its data.
const DRIVERS = [
  "kysely",
  "better-sqlite3",
  "pg",
  "@electric-sql/pglite",
  "hono",
  "ldapts",
  "nodemailer",
  "smtp-server",
];
const IO = [
  "node:fs",
  "node:fs/promises",
  "node:net",
  "node:tls",
  "node:child_process",
  "node:worker_threads",
  "node:os",
];

/** A restriction on imports of the rooms named (by folder under src/) and of the packages named. */
function restrict(files, { rooms = [], packages = [], message, typesAllowed = [] }) {
  const patterns = [];
  if (rooms.length > 0) {
    patterns.push({ regex: `(^|/)(${rooms.join("|")})/`, message });
  }
  const paths = [
    ...packages.map((name) => ({ name, message })),
    ...typesAllowed.map((name) => ({
      name,
      message: `${message} (type imports are fine)`,
      allowTypeImports: true,
    })),
  ];
  return {
    files,
    // Tests and their helpers may reach further: fixtures on disk, other readers to compare with.
    ignores: ["**/*.test.ts", "**/test-support/**"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns, paths }] },
  };
}

function rooms() {
  return [
    restrict(["src/sheet/**/*.ts"], {
      rooms: ["import", "directory", "store", "services", "http", "cli", "jobs", "adapters"],
      packages: [...DRIVERS, ...IO],
      message: "sheet/ turns bytes into cells: pure, it imports no other room (but errors/) and no I/O",
    }),
    restrict(["src/import/**/*.ts"], {
      rooms: ["store", "services", "http", "cli", "jobs", "adapters"],
      packages: [...DRIVERS, ...IO],
      message: "import/ is pure: it reads sheet/ and the rulebook in directory/, never a database or a shell",
    }),
    restrict(["src/directory/**/*.ts"], {
      rooms: ["import", "sheet", "store", "services", "http", "cli", "jobs", "adapters"],
      packages: [...DRIVERS, ...IO],
      message: "directory/ is the rulebook: pure, it imports only errors/",
    }),
    restrict(["src/scim/**/*.ts"], {
      rooms: ["store", "services", "http", "cli", "jobs", "adapters", "import", "sheet"],
      packages: [...DRIVERS, ...IO],
      message:
        "scim/ is pure SCIM (filters, paths, PATCH, mapping): it reads the rulebook, never a database or a shell",
    }),
    restrict(["src/store/**/*.ts"], {
      rooms: ["services", "http", "cli", "jobs", "adapters", "import", "sheet"],
      packages: ["hono"],
      message: "store/ holds the SQL: it serves the services and calls nothing above it",
    }),
    restrict(["src/services/**/*.ts"], {
      rooms: ["http", "cli", "jobs"],
      packages: ["hono", "better-sqlite3", "pg", "@electric-sql/pglite"],
      typesAllowed: ["kysely"],
      message: "services/ call the pure core and the repositories: no shell, no SQL (that is store/'s)",
    }),
    restrict(["src/adapters/**/*.ts"], {
      rooms: ["services", "http", "cli", "jobs", "store", "import"],
      packages: ["kysely", "better-sqlite3", "pg", "@electric-sql/pglite", "hono"],
      message: "adapters/ talk to the outside world for the services; they call no service and hold no SQL",
    }),
    ...[
      ["src/http/**/*.ts", "http/"],
      ["src/cli/**/*.ts", "cli/"],
      ["src/jobs/**/*.ts", "jobs/"],
    ].map(([files, room]) =>
      restrict([files], {
        rooms: [],
        packages: ["better-sqlite3", "pg", "@electric-sql/pglite"],
        typesAllowed: ["kysely"],
        message: `${room} is a shell: it calls services and holds no SQL`,
      }),
    ),
    // A shell opens the database and hands it to the services; it reads no repository itself.
    {
      files: ["src/http/**/*.ts", "src/cli/**/*.ts", "src/jobs/**/*.ts"],
      ignores: ["**/*.test.ts"],
      rules: {
        "no-restricted-syntax": [
          "error",
          {
            selector: "ImportDeclaration[source.value=/store\\/[a-z-]+-repository/]",
            message: "A shell calls a service, not a repository (SQL lives behind the services).",
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "bin/", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ["error", "always"],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unnecessary-condition": ["error", { allowConstantLoopConditions: true }],
      "@typescript-eslint/prefer-literal-enum-member": "off",
      "no-bitwise": "off",
    },
  },
  // The rooms (ARCHITECTURE.md), kept by the linter: data flows one way and nothing calls upward. Tests may
  // reach further (fixtures on disk, databases), so only the rooms' own code is held to them.
  ...rooms(),
  // The console: plain ES modules run by the browser as they are (no build step), outside the TS project.
  {
    files: ["web/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "module",
      globals: {
        document: "readonly",
        window: "readonly",
        location: "readonly",
        fetch: "readonly",
        FormData: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        Node: "readonly",
        console: "readonly",
      },
    },
  },
  // Plain JavaScript entry points (the worker boot file) are outside the TypeScript project.
  {
    files: ["**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly", performance: "readonly" },
    },
  },
);
