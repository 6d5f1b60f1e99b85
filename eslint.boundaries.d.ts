// The type of eslint.boundaries.js, for test/eslint-boundaries.test.ts (the project type-checks no .js).
import type { Linter } from 'eslint';

export declare const importBoundaries: Linter.Config[];
