// The DiT on our WGSL kernels (DitGraph over dit.safetensors) driving the GPU sampler: latents
// stay on the GPU for the whole window, and the text's cross-attention keys and values (and, for
// format 2's DiT, its pooled embedding) are computed once per window rather than once per step.
import { KernelOps } from '../gpu/ops';
import { KernelRuntime } from '../gpu/kernel-runtime';
import { TensorScope } from '../gpu/tensor-scope';
import { guidanceBatch } from '../sampling/sampler-run';
import { sampleOnGpu } from '../sampling/gpu-flow-sampler';
import { checkPromptCount, ditFile, type Denoiser, type DenoiseRequest, type DenoiserEngine } from './denoiser';
import { DitGraph } from './dit-graph';
import type { ModelSource } from './model-source';

/** Our WGSL on one GPUDevice: a new device (after a loss) is a new engine. */
export class WgslEngine implements DenoiserEngine {
  readonly kind = 'webgpu';

  constructor(readonly device: GPUDevice) {}

  async load(source: ModelSource): Promise<Denoiser> {
    const weights = await source.file(ditFile(this.kind, source.manifest));
    const ops = new KernelOps(new KernelRuntime(this.device));
    return new WgslDenoiser(DitGraph.fromSafetensors(ops, source.manifest, weights as Uint8Array<ArrayBuffer>));
  }
}

export class WgslDenoiser implements Denoiser {
  readonly engine = 'webgpu';

  constructor(readonly graph: DitGraph) {}

  async denoise(request: DenoiseRequest): Promise<Float32Array> {
    const { graph } = this;
    const { ops } = graph;
    const batch = guidanceBatch(request.guidance);
    checkPromptCount(request.text, batch, 'WgslDenoiser');
    const { text, mask, length, width } = request.text;
    const scope = new TensorScope();
    try {
      const textTokens = scope.track(ops.rt.upload(text, [batch, length, width], 'text'));
      const textMask = scope.track(ops.rt.upload(mask, [batch, length], 'text_mask'));
      // The text's keys and values are the same at every step: once per window, not once per step.
      const keysValues = graph.crossKeysValues(textTokens).map((kv) => scope.track(kv));
      const pooledTensor = graph.pooledText(textTokens, mask, request.shape[1]); // [B, T, d] or undefined
      const pooled = pooledTensor && scope.track(pooledTensor);
      return await sampleOnGpu({ ...request, ops, velocity: (x, t) => graph.forward(x, t, keysValues, textMask, pooled) });
    } finally {
      scope.end();
      ops.rt.submit();
    }
  }

  async release(): Promise<void> {
    this.graph.release();
  }

  gpuPool() {
    return this.graph.ops.rt.pool.getStats();
  }
}
