// A pool of GPU buffers keyed by (size class, usage), so the DiT's per-step activations reuse
// the same memory every denoising step instead of allocating and freeing hundreds of buffers.
//
// Released buffers are NOT reusable at once: commands already encoded (but not yet submitted)
// may still read them, and a queue.writeBuffer into a re-acquired buffer would run before those
// commands. The runtime calls recycle() right after each queue.submit(), which makes them free.

/** Sizes round up to a power of two from 256 B, then in 1/8 steps of the power: little waste, many hits. */
export function sizeClass(bytes: number): number {
  const min = 256;
  if (bytes <= min) return min;
  const pow = 2 ** Math.floor(Math.log2(bytes));
  if (pow === bytes) return bytes;
  const step = pow / 8;
  return Math.ceil(bytes / step) * step;
}

export interface PoolStats {
  /** Bytes in buffers the pool created and still holds (in use or free). */
  allocatedBytes: number;
  /** The most allocatedBytes ever reached (reset with resetPeak). */
  peakAllocatedBytes: number;
  /** Bytes currently handed out. */
  inUseBytes: number;
  peakInUseBytes: number;
  created: number;
  reused: number;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private readonly owned = new Set<GPUBuffer>();
  private readonly stats: PoolStats = { allocatedBytes: 0, peakAllocatedBytes: 0, inUseBytes: 0, peakInUseBytes: 0, created: 0, reused: 0 };

  constructor(private readonly device: GPUDevice) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
    const size = sizeClass(bytes);
    const limit = this.device.limits.maxBufferSize;
    if (size > limit) {
      throw new Error(`A ${bytes}-byte buffer is larger than this GPU allows (${limit} bytes). Try fewer frames or a smaller size.`);
    }
    const key = `${size}:${usage}`;
    let buffer = this.free.get(key)?.pop();
    if (buffer) {
      this.stats.reused++;
    } else {
      buffer = this.device.createBuffer({ size, usage, label });
      this.owned.add(buffer);
      this.stats.created++;
      this.stats.allocatedBytes += size;
      this.stats.peakAllocatedBytes = Math.max(this.stats.peakAllocatedBytes, this.stats.allocatedBytes);
    }
    this.stats.inUseBytes += size;
    this.stats.peakInUseBytes = Math.max(this.stats.peakInUseBytes, this.stats.inUseBytes);
    return buffer;
  }

  /** Hands a buffer back; it becomes reusable at the next recycle() (after a submit). */
  release(buffer: GPUBuffer): void {
    if (!this.owned.has(buffer)) throw new Error('BufferPool.release: this buffer does not belong to the pool.');
    this.stats.inUseBytes -= buffer.size;
    this.pending.push(buffer);
  }

  /** Makes buffers released before the last submit available again. */
  recycle(): void {
    for (const buffer of this.pending) {
      const key = `${buffer.size}:${buffer.usage}`;
      let list = this.free.get(key);
      if (!list) this.free.set(key, (list = []));
      list.push(buffer);
    }
    this.pending = [];
  }

  /** Destroys every free buffer (for example after generation, to give memory back). */
  trim(): void {
    this.recycle();
    for (const list of this.free.values()) {
      for (const buffer of list) {
        this.stats.allocatedBytes -= buffer.size;
        this.owned.delete(buffer);
        buffer.destroy();
      }
    }
    this.free.clear();
  }

  resetPeak(): void {
    this.stats.peakAllocatedBytes = this.stats.allocatedBytes;
    this.stats.peakInUseBytes = this.stats.inUseBytes;
  }

  getStats(): Readonly<PoolStats> {
    return { ...this.stats };
  }
}
