// Lint config: typescript-eslint's recommended rules over every TypeScript file.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  // CommonJS by necessity: electron-builder loads its config and hooks with require().
  { files: ['build/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
