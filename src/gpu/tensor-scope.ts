// Tensor lifetimes by scope rather than by hand: every tensor made inside a scope is released
// when the scope ends, except the ones it hands back. A graph then reads like the PyTorch module
// it mirrors, with no release() between the lines.

import { GpuTensor } from './tensor';

export class TensorScope {
  private readonly tensors: GpuTensor[] = [];

  /** Adopts `tensor`: it is released when this scope ends, unless kept then. */
  track<T extends GpuTensor>(tensor: T): T {
    this.tensors.push(tensor);
    return tensor;
  }

  /** Releases every adopted tensor not in `kept` (nor released already); `kept` are the caller's now. */
  end(kept: readonly GpuTensor[] = []): void {
    for (const t of this.tensors) if (!kept.includes(t) && !t.isReleased) t.release();
    this.tensors.length = 0;
  }
}

/** The tensors a scope's body hands back: one, several, or none. */
export function tensorsIn(value: unknown): GpuTensor[] {
  if (value instanceof GpuTensor) return [value];
  if (Array.isArray(value)) return value.filter((v): v is GpuTensor => v instanceof GpuTensor);
  return [];
}
