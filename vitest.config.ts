// Vitest runs two kinds of tests in Node: plain unit tests, and kernel tests that
// need a real WebGPU device (Dawn from the `webgpu` package on SwiftShader).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/kernels/**/*.test.ts'],
    // Kernel tests share one Dawn instance per worker; SwiftShader is slow, so give them room.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json' },
  },
});
