// @ts-check
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layering, enforced: only the Electron shell (main/shell) and the preload may import `electron`; the renderer may
 * import nothing from main/ except the contract, and only its types. test/unit/lint/layering.test.ts proves both
 * rules fire.
 */
const electronOnlyInShell = {
  name: 'electron',
  message: 'Only main/shell/ and preload/ may import electron: keep the core testable in plain Node.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'test-results/**',
      'playwright-report/**',
      '.test-output/**',
      'test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: ['**/main/**', '!**/main/contract/**'],
              message: 'The renderer talks to main only through the contract (main/contract).',
            },
            {
              group: ['**/main/contract/**'],
              allowTypeImports: true,
              message: 'The renderer imports only types from the contract; validation runs in main.',
            },
            { group: ['node:*', 'ws', 'undici'], message: 'The renderer never touches the network or Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/shell/**', 'preload/**', 'test/fakes/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
