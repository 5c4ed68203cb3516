// Keeps the worker's one GPUDevice: created on first use, forgotten when lost, and
// created afresh by the next request, so a driver reset costs the user one failed run at most.
import { acquireGpu, GpuUnavailableError, type GpuContext } from '../gpu/device';
import type { DeviceLostEvent, GpuStatus } from './api';

export class GpuSession {
  private current: Promise<GpuContext> | undefined;
  private deviceNumber = 0;
  private readonly lostListeners = new Set<(event: DeviceLostEvent) => void>();

  constructor(private readonly gpu: () => GPU | undefined) {}

  /** The live device, acquiring a new one when there is none. Rejects with GpuUnavailableError. */
  context(): Promise<GpuContext> {
    if (!this.current) {
      const attempt = acquireGpu(this.gpu());
      this.current = attempt;
      attempt.then(
        (ctx) => {
          const number = ++this.deviceNumber;
          ctx.lost.then((loss) => {
            if (this.current === attempt) this.current = undefined;
            for (const listener of this.lostListeners) listener({ ...loss, deviceNumber: number });
          });
        },
        // A failed attempt is not cached: the user may enable WebGPU or free memory and retry.
        () => {
          if (this.current === attempt) this.current = undefined;
        },
      );
    }
    return this.current;
  }

  async status(): Promise<GpuStatus> {
    try {
      const ctx = await this.context();
      return { state: 'ready', facts: ctx.facts, deviceNumber: this.deviceNumber };
    } catch (err) {
      if (err instanceof GpuUnavailableError) return { state: 'unavailable', kind: err.kind, message: err.message };
      return { state: 'unavailable', kind: 'error', message: `WebGPU failed to start: ${(err as Error).message}` };
    }
  }

  onDeviceLost(listener: (event: DeviceLostEvent) => void): void {
    this.lostListeners.add(listener);
  }

  /** Destroys the live device; its `lost` promise then fires as for a real loss. */
  async loseDevice(): Promise<void> {
    if (!this.current) return;
    const ctx = await this.current;
    ctx.device.destroy();
    await ctx.lost;
  }
}
