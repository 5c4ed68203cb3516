import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { filesForEngine } from '../../src/worker/site-model-provider';

const manifest = JSON.parse(readFileSync('tests/fixtures/models/tiny/manifest.json', 'utf8'));

describe('filesForEngine', () => {
  it('fetches the DiT only in the form the engine runs, and never the test goldens', () => {
    expect(filesForEngine(manifest, 'webgpu').sort()).toEqual(['dit.safetensors', 'text_encoder.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
    expect(filesForEngine(manifest, 'wasm').sort()).toEqual(['dit.onnx', 'text_encoder.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
  });
});

describe('filesForEngine with one copy of each weight', () => {
  // kinora-small's dit.onnx reads its fp16 weights from dit.safetensors (ONNX external data)
  const shared = JSON.parse(readFileSync('public/models/kinora-small/manifest.json', 'utf8'));

  it('fetches dit.safetensors for wasm too, when dit.onnx reads its weights from it', () => {
    expect(shared.files['dit.onnx'].external_data).toEqual(['dit.safetensors']);
    expect(filesForEngine(shared, 'wasm').sort()).toEqual(['dit.onnx', 'dit.safetensors', 'text_encoder.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
    expect(filesForEngine(shared, 'webgpu').sort()).toEqual(['dit.safetensors', 'text_encoder.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
  });
});
