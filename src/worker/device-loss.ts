// A GPU device lost mid-run surfaces as some failed GPU call, whose message says nothing useful.
// blameDeviceLoss runs the work and, when the device was lost meanwhile, throws the error that
// says what really happened (and lets the caller drop what lived on that device).
import type { GpuContext } from '../gpu/device';
import { GpuLostDuringGenerationError } from './generation-errors';

/** How long to wait for the loss event after a failure: it may trail the failed call by a moment. */
export const LOSS_EVENT_GRACE_MS = 50;

export async function blameDeviceLoss<T>(gpu: GpuContext | undefined, work: () => Promise<T>, onLost: () => void): Promise<T> {
  if (!gpu) return work();
  let lost = false;
  void gpu.lost.then(() => (lost = true));
  try {
    return await work();
  } catch (err) {
    await new Promise((resolve) => setTimeout(resolve, LOSS_EVENT_GRACE_MS));
    if (!lost) throw err;
    onLost();
    throw new GpuLostDuringGenerationError();
  }
}
