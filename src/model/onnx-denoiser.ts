// The DiT through onnxruntime-web (the exported dit.onnx) driving the CPU sampler: the independent
// oracle for our WGSL graph, and the fast path on machines whose only WebGPU adapter is a CPU
// emulation. Its noise is the GPU's Philox noise computed on the CPU, so one seed gives the same
// video on either engine.
import { sampleFlow } from '../sampling/flow-sampler';
import { guidanceBatch } from '../sampling/sampler-run';
import { seededNormals } from '../sampling/seeded-noise';
import { checkPromptCount, ditFiles, type Denoiser, type DenoiseRequest, type DenoiserEngine } from './denoiser';
import type { ModelSource } from './model-source';
import { OnnxModel } from './onnx-runtime';
import type { EncodedText } from './text-encoder';

export class OnnxWasmEngine implements DenoiserEngine {
  readonly kind = 'wasm';

  async load(source: ModelSource): Promise<Denoiser> {
    const [file, ...external] = ditFiles(this.kind, source.manifest);
    // dit.onnx's weights may live in dit.safetensors (one copy of each weight; docs/model-format.md)
    const externalData = await Promise.all(external.map(async (path) => ({ path, data: await source.file(path) })));
    return new OnnxDenoiser(await OnnxModel.load(file, await source.file(file), externalData));
  }
}

export class OnnxDenoiser implements Denoiser {
  readonly engine = 'wasm';

  constructor(private readonly onnx: OnnxModel) {}

  denoise(request: DenoiseRequest): Promise<Float32Array> {
    const { shape, seed, stream, noise, text, ...run } = request;
    checkPromptCount(text, guidanceBatch(request.guidance), 'OnnxDenoiser');
    return sampleFlow({
      ...run,
      shape,
      noise: noise ?? seededNormals(seed, shape.reduce((a, b) => a * b, 1), stream ?? 0),
      velocity: (x, t, batch) => this.velocity(x, t, shape, batch, text),
    });
  }

  /**
   * One forward: v [B, C, T, h, w] for x [B, C, T, h, w] and per-frame t [B, T]. `text` holds B
   * prompts in the same order as the batch (conditional first, then unconditional).
   */
  async velocity(x: Float32Array, t: Float32Array, shape: readonly [number, number, number, number], batch: number, text: EncodedText): Promise<Float32Array> {
    checkPromptCount(text, batch, 'OnnxDenoiser');
    const [C, T, h, w] = shape;
    const out = await this.onnx.run({
      x: { data: x, dims: [batch, C, T, h, w] },
      t: { data: t, dims: [batch, T] },
      text: { data: text.text, dims: [batch, text.length, text.width] },
      text_mask: { data: text.mask, dims: [batch, text.length] },
    });
    return out.v.data;
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}
