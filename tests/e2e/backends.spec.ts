// Both denoiser backends in Chromium on the test models, tiny (format 1) and tiny-v2 (format 2: the
// causal VAE, pooled text): our WGSL DiT on WebGPU (SwiftShader here) and onnxruntime-web on wasm
// make the same video from the same seed. The MP4s are lossy, so they are compared decoded, by
// PSNR; the latents agree to ~1e-13 NMSE (tests/kernels/dit-parity). And tiny-v2 makes a video in
// the studio on either engine.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInPage } from '../../scripts/page-generate';

interface Made { videoBase64: string; frameCount: number; width: number; height: number; backend: { kind: string } }

function make(page: Page, backend: 'webgpu' | 'wasm', modelId = 'tiny'): Promise<Made> {
  return generateInPage(page, { prompt: 'a red ball bounces on the grass', seconds: 0.5, aspect: '16:9', seed: 99, steps: 3, modelId, backend });
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

// 0.5 s at 16:9: 4 frames of 112×64 (tiny), or 2 latent frames decoded to 5 frames of 224×128, cut to 4 (tiny-v2).
for (const { id, width, height } of [{ id: 'tiny', width: 112, height: 64 }, { id: 'tiny-v2', width: 224, height: 128 }]) {
test(`WGSL on WebGPU and onnxruntime-web on wasm make the same video from one seed (${id})`, async ({ page }) => {
  const fetched: string[] = [];
  page.context().on('request', (r) => fetched.push(new URL(r.url()).pathname.split('/').pop()!));
  await page.goto('./');
  await page.waitForFunction(() => 'kinora' in globalThis);
  const gpu = await make(page, 'webgpu', id);
  // Each engine fetches its own form of the DiT, and only when it first runs.
  expect(fetched).toContain('dit.safetensors');
  expect(fetched).not.toContain('dit.onnx');
  const cpu = await make(page, 'wasm', id);
  expect(fetched).toContain('dit.onnx');
  expect(fetched).not.toContain('goldens.safetensors');
  expect(gpu.backend.kind).toBe('webgpu');
  expect(cpu.backend.kind).toBe('wasm');
  expect([gpu.frameCount, gpu.width, gpu.height]).toEqual([4, width, height]);
  const dir = mkdtempSync(join(tmpdir(), 'kinora-backends-'));
  const a = decode(gpu, dir, 'webgpu');
  const b = decode(cpu, dir, 'wasm');
  expect(a.length).toBe(4 * width * height * 3);
  // Identical latents encode to (near) identical files; a wrong kernel gives noise (~10 dB).
  expect(psnr(a, b)).toBeGreaterThan(40);
});
}

test('tiny-v2 makes a video in the studio on WebGPU and on wasm', async ({ page }) => {
  for (const backend of ['webgpu', 'wasm'] as const) {
    await page.addInitScript((backend) => {
      localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 1, aspect: '1:1', steps: 2, guidance: null, seed: 7, seedLocked: true, modelId: 'tiny-v2', backend }));
    }, backend);
    await page.goto('./');
    await page.getByTestId('prompt').fill('a red ball bounces on the grass');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
    await expect(page.getByTestId('result-facts')).toContainText('8 frames at 8 fps · 128×128');
    await expect(page.getByTestId('result-facts')).toContainText('model tiny-v2');
    await expect(page.getByTestId('result-backend')).toHaveAttribute('data-kind', backend);
  }
});

test('a model that shares parts with one already on this device downloads only what it lacks', async ({ page }) => {
  // The shipped models that share a file (same hash): a distilled student shares its teacher's
  // text encoder and VAE. The wasm engine needs every file but the goldens, and the safetensors DiT
  // only where dit.onnx reads its weights from it (one copy of each weight).
  const manifest = (id: string) => JSON.parse(readFileSync(`public/models/${id}/manifest.json`, 'utf8'));
  const ids: string[] = JSON.parse(readFileSync('public/models/index.json', 'utf8')).models;
  const wasmFiles = (id: string) => {
    const files = manifest(id).files as Record<string, { sha256: string; size: number; external_data?: string[] }>;
    const external = files['dit.onnx']?.external_data ?? [];
    return Object.entries(files).filter(([name]) => name !== 'goldens.safetensors' && (name !== 'dit.safetensors' || external.includes(name)));
  };
  const pairs = ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => [a, b] as const)).filter(([a, b]) =>
    wasmFiles(b).some(([, f]) => wasmFiles(a).some(([, g]) => g.sha256 === f.sha256)));
  expect(pairs.length).toBeGreaterThan(0);
  const [first, second] = pairs[0];
  const firstHashes = new Set(wasmFiles(first).map(([, f]) => f.sha256));
  const shared = wasmFiles(second).filter(([, f]) => firstHashes.has(f.sha256)).map(([name]) => name);
  const own = wasmFiles(second).filter(([, f]) => !firstHashes.has(f.sha256)).map(([name]) => name);

  const fetched: string[] = [];
  page.context().on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.addInitScript(() => localStorage.setItem('kinora.settings.v1', JSON.stringify({ backend: 'wasm' })));
  await page.goto('./');
  await page.waitForFunction(() => 'kinora' in globalThis);
  const request = { prompt: 'a red ball bounces', seconds: 0.125, aspect: '1:1', seed: 5, steps: 1, backend: 'wasm' } as const;
  await generateInPage(page, { ...request, modelId: first });

  // The list says how little the second model still needs.
  await page.reload();
  await page.getByTestId('settings-summary').click();
  const left = own.reduce((sum, name) => sum + manifest(second).files[name].size, 0);
  await expect(page.getByTestId(`model-download-${second}`)).toHaveText(`${(left / 1e6).toFixed(1)} MB to download on first use (the rest is shared with a model on this device)`);

  fetched.length = 0;
  await page.waitForFunction(() => 'kinora' in globalThis);
  const made = await generateInPage(page, { ...request, modelId: second });
  expect(made.frameCount).toBe(1);
  const fromSecond = fetched.filter((p) => p.includes(`/models/${second}/`)).map((p) => p.split('/').pop());
  for (const name of own) expect(fromSecond).toContain(name);
  for (const name of shared) expect(fromSecond).not.toContain(name);
});
