// Host side of shaders/activation.wgsl: elementwise SiLU and GELU(tanh), y = f(x).
// (GELU after a Linear is fused into matmul; this is for the others, e.g. SiLU(c) before adaLN.)

import activationFns from '../../shaders/activation_fns.wgsl?raw';
import activationWgsl from '../../shaders/activation.wgsl?raw';
import { linearWorkgroups, type KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const ACTIVATION_WGSL = `${activationFns}\n${activationWgsl}`;
export const ACTIVATION_PARAMS = new UniformLayout('Params', [['count_vec4', 'u32']] as const);

export type Activation = 'silu' | 'gelu';

const ENTRY: Record<Activation, string> = { silu: 'silu_vec4', gelu: 'gelu_tanh_vec4' };

/** y = f(x) elementwise; x and y have the same number of elements (a multiple of 4); y must be another tensor. */
export function activation(rt: KernelRuntime, fn: Activation, x: GpuTensor, y: GpuTensor): void {
  if (x.size !== y.size) throw new Error(`activation: x has ${x.size} elements, y ${y.size}.`);
  if (x.size % 4 !== 0) throw new Error(`activation: ${x.size} elements is not a multiple of 4.`);
  if (x.buffer === y.buffer) throw new Error('activation: in place is not allowed (WebGPU forbids binding one buffer as read and read_write); use another output.');
  rt.dispatch({
    label: fn,
    code: ACTIVATION_WGSL,
    entryPoint: ENTRY[fn],
    params: ACTIVATION_PARAMS.pack({ count_vec4: x.size / 4 }),
    bindings: { 1: x.buffer, 2: y.buffer },
    workgroups: linearWorkgroups(x.size / 4, 256),
  });
}
