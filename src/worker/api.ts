// The typed contract between the page and the generation worker. Both sides import
// this file and nothing else of each other: the page calls these methods through
// comlink, and the worker implements them.
import type { AdapterFacts, DeviceLossCause } from '../gpu/device';

export type { AdapterFacts } from '../gpu/device';

/** Why WebGPU cannot run here, as the user should hear it. */
export type GpuUnavailableKind = 'no-webgpu' | 'no-adapter' | 'device-refused' | 'error';

export type GpuStatus =
  | {
      state: 'ready';
      facts: AdapterFacts;
      /** Counts devices this worker has created: it grows by one after each device loss. */
      deviceNumber: number;
    }
  | { state: 'unavailable'; kind: GpuUnavailableKind; message: string };

export interface DeviceLostEvent {
  reason: DeviceLossCause;
  message: string;
  /** The device number that was lost. */
  deviceNumber: number;
}

export interface KinoraWorkerApi {
  /** The GPU as it is now; acquires a device first if there is none or the last one was lost. */
  gpuStatus(): Promise<GpuStatus>;
  /** Registers a listener (wrapped with comlink's `proxy`) told whenever the worker's device is lost. */
  onDeviceLost(listener: (event: DeviceLostEvent) => void): Promise<void>;
  /** Destroys the current device as a driver reset would: for tests and for the "GPU lost" UI path. */
  loseDeviceForTesting(): Promise<void>;
}
