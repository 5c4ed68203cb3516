// A small programmatic door into the page, for `npm run generate`, `npm run eval` and tests:
// window.kinora.generate(request) makes a video exactly as the studio does and returns it with
// its facts. It adds no network access and nothing a visitor's own console could not already do.
import * as Comlink from 'comlink';
import type { GenerateProgress, GenerateRequest, GenerateResult, KinoraWorkerApi } from '../worker/api';

export interface AutomationResult extends Omit<GenerateResult, 'video' | 'poster'> {
  /** The MP4, base64-encoded (it crosses into Node as a string). */
  videoBase64: string;
  videoBytes: number;
}

export interface KinoraAutomation {
  generate(request: GenerateRequest, onProgress?: (p: Omit<GenerateProgress, 'preview'>) => void): Promise<AutomationResult>;
  /** Destroys the worker's GPU device as a driver reset would. */
  simulateDeviceLoss(): Promise<void>;
}

async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function installAutomation(api: Comlink.Remote<KinoraWorkerApi>): void {
  const automation: KinoraAutomation = {
    async generate(request, onProgress) {
      const result = await api.generate(
        request,
        Comlink.proxy((p: GenerateProgress) => {
          const { preview: _preview, ...rest } = p;
          onProgress?.(rest);
        }),
      );
      const { video, poster: _poster, ...facts } = result;
      return { ...facts, videoBase64: await toBase64(video), videoBytes: video.size };
    },
    simulateDeviceLoss: () => api.loseDeviceForTesting(),
  };
  (globalThis as { kinora?: KinoraAutomation }).kinora = automation;
}
