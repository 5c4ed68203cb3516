// A tensor that lives in a GPU buffer: the buffer, its logical shape, and its element type.
// Row-major, innermost dimension last. The buffer may be larger than the tensor (the pool
// rounds sizes up), so kernels always take their extents from params, never from arrayLength.

/** f32 everywhere; f16 only for stored weights (read as f32 through unpack2x16float). */
export type DType = 'f32' | 'f16';

export const BYTES_PER_ELEMENT: Record<DType, number> = { f32: 4, f16: 2 };

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`Bad tensor shape [${shape.join(', ')}]: dimensions must be non-negative integers.`);
    n *= d;
  }
  return n;
}

export class GpuTensor {
  readonly size: number;

  constructor(
    readonly buffer: GPUBuffer,
    readonly shape: readonly number[],
    readonly dtype: DType = 'f32',
    /** Called once by release(); the runtime hands the buffer back to its pool. */
    private readonly onRelease?: (buffer: GPUBuffer) => void,
  ) {
    this.size = elementCount(shape);
    const need = this.byteLength;
    if (buffer.size < need) throw new Error(`Tensor [${shape.join(', ')}] ${dtype} needs ${need} bytes; its buffer has ${buffer.size}.`);
  }

  /** Bytes the tensor's elements occupy (the buffer may be larger). */
  get byteLength(): number {
    return this.size * BYTES_PER_ELEMENT[this.dtype];
  }

  private released = false;

  /** Returns the buffer to the pool; the tensor must not be used afterwards. */
  release(): void {
    if (this.released) throw new Error('GpuTensor released twice.');
    this.released = true;
    this.onRelease?.(this.buffer);
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** The same buffer seen with another shape of the same element count (no copy). */
  view(shape: readonly number[]): GpuTensor {
    if (elementCount(shape) !== this.size) {
      throw new Error(`Cannot view [${this.shape.join(', ')}] as [${shape.join(', ')}]: element counts differ.`);
    }
    return new GpuTensor(this.buffer, shape, this.dtype);
  }
}
