import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/*
 * A feature reaches nothing of another feature (STYLE.md: features/<domain>/ — no
 * imports across features); the pages in app/routes/ compose them, and what several
 * share lives in components/ or lib/. The rule matches import strings, not files, so
 * there is one block per feature and per folder depth inside it: from
 * features/leads/components/x.tsx, `../../<name>/…` is another feature, and from one
 * folder deeper it takes `../../../<name>/…`.
 */
const featuresDir = 'packages/web/src/features';
const maxFeatureDepth = 4;
const featureNames = readdirSync(new URL(featuresDir, import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const featureBoundaries = featureNames.flatMap((name) =>
  Array.from({ length: maxFeatureDepth }, (_, i) => {
    const up = '../'.repeat(i + 1);
    return {
      files: [`${featuresDir}/${name}/${'*/'.repeat(i)}*`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: [
                  `${up}*/**`,
                  `!${up}../**`,
                  `!${up}${name}/**`,
                  '**/features/*/**',
                  `!**/features/${name}/**`,
                ],
                message:
                  'A feature may not import another feature: compose them in a page under app/routes/, or move what they share to components/ or lib/.',
              },
            ],
          },
        ],
      },
    };
  }),
);

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.tmp/**', 'coverage/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-definitions': 'off',
    },
  },
  {
    files: ['packages/web/**/*.tsx', 'packages/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  ...featureBoundaries,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
