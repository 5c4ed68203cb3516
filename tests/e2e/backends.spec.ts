// Both denoiser backends in Chromium on the tiny model: our WGSL DiT on WebGPU (SwiftShader here)
// and onnxruntime-web on wasm make the same video from the same seed. The MP4s are lossy, so
// they are compared decoded, by PSNR; the latents agree to ~1e-13 NMSE (tests/kernels/dit-parity).
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInPage } from '../../scripts/page-generate';

interface Made { videoBase64: string; frameCount: number; width: number; height: number; backend: { kind: string } }

function make(page: Page, backend: 'webgpu' | 'wasm'): Promise<Made> {
  return generateInPage(page, { prompt: 'a red ball bounces on the grass', seconds: 0.5, aspect: '16:9', seed: 99, steps: 3, modelId: 'tiny', backend });
}

/** Decodes an MP4 to raw RGB bytes with Debian's ffmpeg. */
function decode(made: Made, dir: string, name: string): Buffer {
  const file = join(dir, `${name}.mp4`);
  writeFileSync(file, Buffer.from(made.videoBase64, 'base64'));
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 });
}

function psnr(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

test('WGSL on WebGPU and onnxruntime-web on wasm make the same video from one seed', async ({ page }) => {
  const fetched: string[] = [];
  page.context().on('request', (r) => fetched.push(new URL(r.url()).pathname.split('/').pop()!));
  await page.goto('./');
  await page.waitForFunction(() => 'kinora' in globalThis);
  const gpu = await make(page, 'webgpu');
  // Each engine fetches its own form of the DiT, and only when it first runs.
  expect(fetched).toContain('dit.safetensors');
  expect(fetched).not.toContain('dit.onnx');
  const cpu = await make(page, 'wasm');
  expect(fetched).toContain('dit.onnx');
  expect(fetched).not.toContain('goldens.safetensors');
  expect(gpu.backend.kind).toBe('webgpu');
  expect(cpu.backend.kind).toBe('wasm');
  expect([gpu.frameCount, gpu.width, gpu.height]).toEqual([4, 112, 64]);
  const dir = mkdtempSync(join(tmpdir(), 'kinora-backends-'));
  const a = decode(gpu, dir, 'webgpu');
  const b = decode(cpu, dir, 'wasm');
  expect(a.length).toBe(4 * 112 * 64 * 3);
  // Identical latents encode to (near) identical files; a wrong kernel gives noise (~10 dB).
  expect(psnr(a, b)).toBeGreaterThan(40);
});
