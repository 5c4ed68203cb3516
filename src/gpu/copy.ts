// Host side of shaders/copy.wgsl: a plain vec4 copy, the bandwidth ceiling the benchmark
// measures every kernel against.

import copyWgsl from '../../shaders/copy.wgsl?raw';
import { linearWorkgroups, type KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const COPY_PARAMS = new UniformLayout('Params', [['count_vec4', 'u32']] as const);

export function copyTensor(rt: KernelRuntime, x: GpuTensor, y: GpuTensor): void {
  if (x.size !== y.size || x.size % 4 !== 0) throw new Error(`copyTensor: sizes ${x.size} and ${y.size} must match and be multiples of 4.`);
  rt.dispatch({
    label: 'copy',
    code: copyWgsl,
    entryPoint: 'copy_vec4',
    params: COPY_PARAMS.pack({ count_vec4: x.size / 4 }),
    bindings: { 1: x.buffer, 2: y.buffer },
    workgroups: linearWorkgroups(x.size / 4, 256),
  });
}
