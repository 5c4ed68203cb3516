import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { filesForEngine } from '../../src/worker/site-model-provider';

const manifest = JSON.parse(readFileSync('public/models/tiny/manifest.json', 'utf8'));

describe('filesForEngine', () => {
  it('fetches the DiT only in the form the engine runs, and never the test goldens', () => {
    expect(filesForEngine(manifest, 'webgpu').sort()).toEqual(['dit.safetensors', 'text_encoder.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
    expect(filesForEngine(manifest, 'wasm').sort()).toEqual(['dit.onnx', 'text_encoder.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
  });
});
