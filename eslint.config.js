// Lint config: typescript-eslint's recommended rules over every TypeScript file, plus the layering
// rules that keep the architecture in docs/architecture.md true (a newcomer can trust the tree).
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];

/**
 * An import of a top-level source folder `src/<name>` from a file `depth` folders below src/
 * (relative specifiers climb to src/ first; climbing less stays inside the importer's own folder).
 */
const folder = (name, message, depth = 1) => ({ regex: `^(\\.\\./){${depth},}${name}/`, message });

/** The `electron` module is the shell's alone (the core and the processes run without Electron too). */
const electronModule = { name: 'electron', message: 'only electron/ imports the electron module; src/ runs headless too.' };

// One no-restricted-imports per file group: ESLint replaces a rule's options per matching block
// rather than merging them, so each group lists all of its own restrictions.
const layering = [
  {
    // The pure core: decisions over plain data, shared by the agent and the server.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'src/core is pure: no Node built-ins (I/O belongs at the edges: src/platform, src/agent, src/server).',
            })),
            ...['electron', 'keytar', 'better-sqlite3', 'fastify', 'chokidar', 'winston', 'koffi'].map((name) => ({
              name,
              message: 'src/core is pure: no I/O libraries.',
            })),
          ],
          patterns: [
            // Every core file sits in a subfolder (src/core/<part>/), so src/ is at least two levels up.
            folder('(agent|server|platform|cli|helper|ui|electron)', 'src/core is the bottom layer: it imports nothing above it.', 2),
            // The schema registry is the one shared piece of common/ the core uses: validation is a pure
            // function of the document, and the schema set is data loaded once.
            {
              regex: '^(\\.\\./)+common/(?!schemas\\.js$|tokenPrefixes\\.js$)',
              message: 'src/core may use only common/schemas.js and common/tokenPrefixes.js from src/common.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule],
          patterns: [
            folder('(agent|helper|electron|ui|platform)', 'src/server must not import the workstation side (src/agent, src/helper, src/platform, electron/).'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/agent/**/*.ts', 'src/helper/**/*.ts', 'src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule],
          patterns: [folder('(server|electron)', 'the workstation side must not import src/server or electron/ (it talks to the server over HTTP).')],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronModule], patterns: [folder('electron', 'only the app (electron/, its renderer pages in src/ui, and tests) imports electron/.')] },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
      // Prettier wraps code at 160 (.prettierrc.json) but never splits a string: a user-facing message
      // stays one literal so it can be grepped. Comments and code must fit.
      'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  ...layering,
  // CommonJS by necessity: electron-builder loads its config and hooks with require().
  { files: ['build/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
