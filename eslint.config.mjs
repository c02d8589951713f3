// `npm run lint`: typescript-eslint's recommended rules and a line-length limit, over the sources,
// the tests and the scripts. Run by `npm test` before the tests.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { '@stylistic': stylistic },
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setImmediate: 'readonly', queueMicrotask: 'readonly', Buffer: 'readonly', __dirname: 'readonly', performance: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', structuredClone: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly',
        suite: 'readonly', test: 'readonly', suiteSetup: 'readonly', suiteTeardown: 'readonly', setup: 'readonly', teardown: 'readonly',
        AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly',
      },
    },
    rules: {
      '@stylistic/max-len': ['error', { code: 140, ignoreUrls: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
