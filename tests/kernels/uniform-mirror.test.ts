// Every kernel's uniform layout in TypeScript must list the fields of its WGSL `struct Params` in
// the same order with the same types, or the kernel silently reads the wrong numbers.
import { describe, expect, it } from 'vitest';
import { ACTIVATION_PARAMS, ACTIVATION_WGSL } from '../../src/gpu/activation';
import { ATTENTION_PARAMS, ATTENTION_WGSL } from '../../src/gpu/attention';
import { COPY_PARAMS } from '../../src/gpu/copy';
import { NOISE_PARAMS, NOISE_WGSL } from '../../src/gpu/gaussian-noise';
import { MATMUL_PARAMS, MATMUL_WGSL } from '../../src/gpu/matmul';
import { NORM_PARAMS } from '../../src/gpu/norm';
import { PATCHIFY_PARAMS } from '../../src/gpu/patchify';
import { ROPE_PARAMS } from '../../src/gpu/rope';
import { SAMPLER_PARAMS } from '../../src/gpu/sampler-step';
import { TIMESTEP_PARAMS, TIMESTEP_WGSL } from '../../src/gpu/timestep-embedding';
import type { UniformLayout } from '../../src/gpu/uniform-params';
import copyWgsl from '../../shaders/copy.wgsl?raw';
import normWgsl from '../../shaders/norm.wgsl?raw';
import patchifyWgsl from '../../shaders/patchify.wgsl?raw';
import ropeWgsl from '../../shaders/rope.wgsl?raw';
import samplerWgsl from '../../shaders/sampler.wgsl?raw';

/** The fields of `struct <name> { … }` as [field, type], comments stripped. */
function wgslStructFields(code: string, name: string): string[][] {
  const body = new RegExp(`struct\\s+${name}\\s*\\{([^}]*)\\}`).exec(code.replace(/\/\/[^\n]*/g, ''));
  if (!body) throw new Error(`struct ${name} not found`);
  return body[1]
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => f.split(':').map((s) => s.trim()));
}

const kernels: Array<[string, UniformLayout<string>, string]> = [
  ['matmul', MATMUL_PARAMS, MATMUL_WGSL],
  ['attention', ATTENTION_PARAMS, ATTENTION_WGSL],
  ['rope', ROPE_PARAMS, ropeWgsl],
  ['norm', NORM_PARAMS, normWgsl],
  ['activation', ACTIVATION_PARAMS, ACTIVATION_WGSL],
  ['timestep', TIMESTEP_PARAMS, TIMESTEP_WGSL],
  ['patchify', PATCHIFY_PARAMS, patchifyWgsl],
  ['sampler', SAMPLER_PARAMS, samplerWgsl],
  ['noise', NOISE_PARAMS, NOISE_WGSL],
  ['copy', COPY_PARAMS, copyWgsl],
];

describe('uniform params mirror their WGSL structs', () => {
  for (const [name, layout, code] of kernels) {
    it(name, () => {
      expect(layout.fields.map(([f, t]) => [f, t])).toEqual(wgslStructFields(code, layout.structName));
    });
  }
});
