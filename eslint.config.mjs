// ESLint: typescript-eslint's recommended rules and React's hooks rules (npm test runs it; layering is checked by
// tests/architecture/layers.test.ts).
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    // a leading underscore names what is left unused on purpose (a destructured field dropped, a callback's argument)
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // harnesses hand answers of any operation to the test that asked
    files: ['tests/helpers/**', 'tests/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
