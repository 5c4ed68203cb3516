// What we tell a visitor whose browser cannot run Kinora, by the reason it cannot.
import type { GpuUnavailableKind } from '../worker/api';

export const BROWSERS_WITH_WEBGPU = [
  'Chrome or Edge 113 or later on Windows, macOS and ChromeOS (Chrome 121 or later on Android)',
  'Safari 26 or later on macOS, iOS and iPadOS',
  'Firefox 141 or later on Windows',
  'On Linux, Chrome needs WebGPU switched on at chrome://flags/#enable-unsafe-webgpu',
];

export function unavailableAdvice(kind: GpuUnavailableKind): { title: string; advice: string } {
  switch (kind) {
    case 'no-webgpu':
      return {
        title: 'This browser has no WebGPU',
        advice: 'Kinora draws every frame on your own graphics card through WebGPU, and this browser does not offer it. Open Kinora in one of these browsers:',
      };
    case 'no-adapter':
      return {
        title: 'WebGPU is here, but no graphics adapter was offered',
        advice: 'The browser may have blocklisted your GPU or driver, or WebGPU may be switched off. Updating the graphics driver or the browser often helps; chrome://gpu shows what Chrome decided. These browsers have WebGPU:',
      };
    case 'device-refused':
      return {
        title: 'The graphics adapter refused to start',
        advice: 'The GPU may be out of memory or busy. Close other heavy tabs and reload. If it keeps failing, try one of these browsers:',
      };
    case 'error':
      return {
        title: 'WebGPU failed to start',
        advice: 'Reload the page to try again. If it keeps failing, try one of these browsers:',
      };
  }
}
