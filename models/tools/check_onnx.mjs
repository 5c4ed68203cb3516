// Runs an exported model's ONNX parts with onnxruntime-web (wasm, in Node) on its goldens and prints
// the normalised mean squared error of each against PyTorch as JSON.
//   node models/tools/check_onnx.mjs public/models/<id>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';

const dir = process.argv[2];
ort.env.wasm.numThreads = 1;

function readSafetensors(path) {
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = h.data_offsets;
    const bytes = buf.subarray(8 + n + a, 8 + n + b);
    const copy = new Uint8Array(bytes).buffer;
    const data = h.dtype === 'F32' ? new Float32Array(copy) : h.dtype === 'I64' ? new BigInt64Array(copy) : new Uint8Array(copy);
    out[name] = { data, shape: h.shape, dtype: h.dtype };
  }
  return out;
}

const tensor = (g) => new ort.Tensor(g.dtype === 'F32' ? 'float32' : 'int64', g.data, g.shape);
function nmse(a, b) {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return num / Math.max(den, 1e-30);
}

const g = readSafetensors(join(dir, 'goldens.safetensors'));
const result = {};
// dit.onnx may read its weights from dit.safetensors (ONNX external data; the manifest lists the files)
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
// format 3 (a scene model) has no text encoder graph: its text tokens are a table lookup, checked in vitest
if (manifest.format_version !== 3) {
  const text = await ort.InferenceSession.create(join(dir, 'text_encoder.onnx'));
  const t = await text.run({ ids: tensor(g['text.ids']) });
  result.text_encoder = nmse(t.text.data, g['text.text'].data);
}
const externalData = (manifest.files['dit.onnx'].external_data ?? []).map((path) => ({ path, data: readFileSync(join(dir, path)) }));
const dit = await ort.InferenceSession.create(readFileSync(join(dir, 'dit.onnx')), { externalData });
const d = await dit.run({ x: tensor(g['dit.x']), t: tensor(g['dit.t']), text: tensor(g['text.text']), text_mask: tensor(g['text.text_mask']) });
result.dit = nmse(d.v.data, g['dit.v'].data);
const dec = await ort.InferenceSession.create(join(dir, 'vae_decoder.onnx'));
const lat = g['sample.latents'];
const [, C, T, H, W] = lat.shape;
const frameMajor = new Float32Array(T * C * H * W);   // [1, C, T, H, W] -> [T, C, H, W]
for (let c = 0; c < C; c++) for (let f = 0; f < T; f++) for (let i = 0; i < H * W; i++)
  frameMajor[(f * C + c) * H * W + i] = lat.data[(c * T + f) * H * W + i];
// format 1 decodes each latent frame as an image [T, C, H, W]; format 2 (the spacetime VAE) takes
// the clip frames first, [1, T, C, H, W], and draws 1 + 4(T-1) frames: the same bytes either way.
const spacetime = manifest.format_version >= 2;
const r = await dec.run({ latents: new ort.Tensor('float32', frameMajor, spacetime ? [1, T, C, H, W] : [T, C, H, W]) });
result.vae_decoder = nmse(r.frames.data, g['sample.frames'].data);
const enc = await ort.InferenceSession.create(join(dir, 'vae_encoder.onnx'));
const e = await enc.run({ frames: r.frames });
result.vae_encoder_shape = e.latents.dims;
console.log(JSON.stringify(result));
