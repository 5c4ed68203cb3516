// Host side of shaders/patchify.wgsl: latent video [batch, C, T, H, W] ⇄ tokens [batch, N, C·p_t·p_h·p_w].

import patchifyWgsl from '../../shaders/patchify.wgsl?raw';
import { linearWorkgroups, type KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const PATCHIFY_PARAMS = new UniformLayout('Params', [
  ['channels', 'u32'],
  ['frames', 'u32'],
  ['height', 'u32'],
  ['width', 'u32'],
  ['patch_t', 'u32'],
  ['patch_h', 'u32'],
  ['patch_w', 'u32'],
  ['count', 'u32'],
] as const);

export interface PatchSize {
  t: number;
  h: number;
  w: number;
}

/** Kinora's patch (docs/model-format.md). */
export const KINORA_PATCH: PatchSize = { t: 1, h: 2, w: 2 };

/** The token tensor shape for a latent [batch, C, T, H, W]. */
export function tokenShape(latentShape: readonly number[], p: PatchSize): [number, number, number] {
  const [batch, c, t, h, w] = latentShape;
  return [batch, (t / p.t) * (h / p.h) * (w / p.w), c * p.t * p.h * p.w];
}

function run(rt: KernelRuntime, entryPoint: 'patchify' | 'unpatchify', latent: GpuTensor, tokens: GpuTensor, p: PatchSize): void {
  if (latent.shape.length !== 5) throw new Error(`${entryPoint}: latent must be [batch, C, T, H, W], got [${latent.shape.join(', ')}].`);
  const [batch, channels, frames, height, width] = latent.shape;
  if (frames % p.t || height % p.h || width % p.w) {
    throw new Error(`${entryPoint}: T×H×W = ${frames}×${height}×${width} is not divisible by the patch ${p.t}×${p.h}×${p.w}.`);
  }
  const want = tokenShape(latent.shape, p);
  if (tokens.shape.join() !== want.join()) throw new Error(`${entryPoint}: tokens must be [${want.join(', ')}], got [${tokens.shape.join(', ')}].`);
  const count = channels * frames * height * width;
  const [src, dst] = entryPoint === 'patchify' ? [latent, tokens] : [tokens, latent];
  rt.dispatch({
    label: entryPoint,
    code: patchifyWgsl,
    entryPoint,
    params: PATCHIFY_PARAMS.pack({ channels, frames, height, width, patch_t: p.t, patch_h: p.h, patch_w: p.w, count }),
    bindings: { 1: src.buffer, 2: dst.buffer },
    workgroups: [...linearWorkgroups(count, 256), batch],
  });
}

/** latent [batch, C, T, H, W] → tokens [batch, N, C·p_t·p_h·p_w]. */
export function patchify(rt: KernelRuntime, latent: GpuTensor, tokens: GpuTensor, p: PatchSize = KINORA_PATCH): void {
  run(rt, 'patchify', latent, tokens, p);
}

/** tokens [batch, N, C·p_t·p_h·p_w] → latent [batch, C, T, H, W] (the latent's shape says T, H, W). */
export function unpatchify(rt: KernelRuntime, tokens: GpuTensor, latent: GpuTensor, p: PatchSize = KINORA_PATCH): void {
  run(rt, 'unpatchify', latent, tokens, p);
}
