/** The suite's config plus the assertion counter (see count-assertions.ts). */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export default mergeConfig(base, defineConfig({ test: { setupFiles: ['test/support/count-assertions.ts'] } }));
