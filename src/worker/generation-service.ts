// Runs generations in the worker, one at a time: opens (and keeps) the requested model, turns
// the request into frames, and reports progress with an ETA. Frames are encoded into the video
// file and sent to the page as soon as they are final from the start on (ReadyFrames), so a long
// video plays while it is being made and its MP4 is written as it goes.
// Cancel aborts within one denoising step; nothing is kept of a cancelled or failed run.
import type { GenerateProgress, GenerateRequest, GenerateResult, GenerationPhase, GenerationSettings } from './api';
import { GenerationBusyError, GenerationCancelledError, GpuLostDuringGenerationError } from './generation-errors';
import { generateFrames } from '../model/generate-frames';
import { KinoraModel, type ModelSource } from '../model/kinora-model';
import type { ModelManifest } from '../model/manifest';
import type { GpuContext } from '../gpu/device';
import { chooseBackend } from './backend-choice';
import { planRecipe, summariseMode } from './mode-plan';
import { ReadyFrames } from './ready-frames';

/** Where models come from: the loader (network + IndexedDB cache, verified by hash). */
export interface ModelProvider {
  /** Only the manifest: cheap, for the page's hints and defaults. */
  manifest(modelId: string | undefined, signal?: AbortSignal): Promise<ModelManifest>;
  /** The model with the files a generation on `engine` needs; others load on first use. */
  open(
    modelId: string | undefined,
    engine: 'webgpu' | 'wasm',
    onDownload: (loaded: number, total: number) => void,
    signal: AbortSignal,
  ): Promise<ModelSource & { sha256: string }>;
}

/** Everything that goes into the file's provenance record. */
export interface ClipProvenance {
  settings: GenerationSettings;
  modelSha256: string;
  createdAt: string;
}

/** A video file written frame by frame, in order. */
export interface ClipWriter {
  add(frame: Uint8ClampedArray): Promise<void>;
  finish(): Promise<{ blob: Blob; mimeType: string }>;
  /** Drops what was written. */
  cancel(): Promise<void>;
}

export type OpenClipWriter = (clip: { width: number; height: number; fps: number; provenance: ClipProvenance }) => Promise<ClipWriter>;

// Where each phase sits on the overall progress bar.
const PHASE_SPAN: Record<GenerationPhase, [number, number]> = {
  model: [0, 0.1],
  text: [0.1, 0.12],
  denoise: [0.12, 0.9],
  decode: [0.9, 0.95],
  encode: [0.95, 1],
};

export class GenerationService {
  private model: { id: string; sha256: string; instance: KinoraModel } | undefined;
  private running: AbortController | undefined;

  constructor(
    private readonly models: ModelProvider,
    private readonly openWriter: OpenClipWriter,
    /** The worker's GPU device (a fresh one after a loss); rejects when there is none. */
    private readonly gpu: () => Promise<GpuContext>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  cancel(): void {
    this.running?.abort(new GenerationCancelledError());
  }

  async generate(request: GenerateRequest, report: (p: GenerateProgress) => void): Promise<GenerateResult> {
    if (this.running) throw new GenerationBusyError();
    const controller = new AbortController();
    this.running = controller;
    try {
      return await this.run(request, report, controller.signal);
    } catch (err) {
      throw controller.signal.aborted ? new GenerationCancelledError() : err;
    } finally {
      this.running = undefined;
    }
  }

  private async run(request: GenerateRequest, report: (p: GenerateProgress) => void, signal: AbortSignal): Promise<GenerateResult> {
    const started = this.now();
    let latest: GenerateProgress | undefined;
    const emit = (phase: GenerationPhase, within: number, extra: Partial<GenerateProgress> & Pick<GenerateProgress, 'message' | 'step' | 'steps' | 'etaSeconds'>) => {
      const [a, b] = PHASE_SPAN[phase];
      latest = { phase, fraction: a + (b - a) * Math.min(1, Math.max(0, within)), ...extra };
      report(latest);
    };

    emit('model', 0, { message: 'Loading the model…', step: 0, steps: 0, etaSeconds: null });
    // The engine first: it decides which of the model's files to fetch.
    const backend = await chooseBackend(request.backend ?? 'auto', this.gpu);
    const model = await this.openModel(request.modelId, backend.kind, signal, (loaded, total) =>
      emit('model', total ? loaded / total : 0, { message: 'Downloading the model (once; it is kept for next time)…', step: 0, steps: 0, etaSeconds: null, download: { loaded, total } }),
    );
    signal.throwIfAborted();

    const m = model.instance.manifest;
    const fps = m.video.fps;
    const settings: GenerationSettings = {
      prompt: request.mode?.kind === 'storyboard' && !request.prompt.trim() ? request.mode.shots.map((s) => s.prompt).join(' / ') : request.prompt,
      seconds: request.seconds,
      aspect: request.aspect,
      seed: request.seed >>> 0,
      steps: request.steps ?? m.sampler.default_steps,
      guidance: request.guidance ?? m.sampler.default_guidance,
      modelId: model.id,
      backend: request.backend ?? 'auto',
      mode: summariseMode(request.mode),
    };
    const recipe = await planRecipe(request, m);
    let deviceLost = false;
    void backend.gpu?.lost.then(() => (deviceLost = true));

    const { width, height } = m.video.sizes[settings.aspect];
    const writer = await this.openWriter({ width, height, fps, provenance: { settings, modelSha256: model.sha256, createdAt: new Date().toISOString() } });
    try {
      const ready = new ReadyFrames(recipe.totalFrames);
      /** Frames become final out of order; the file and the page take them from the start on. */
      const keep = async (made: Iterable<readonly [number, Uint8ClampedArray]>) => {
        const start = ready.count;
        const run: Uint8ClampedArray[] = [];
        for (const [index, frame] of made) run.push(...ready.put(index, frame).frames);
        if (run.length === 0) return;
        for (const f of run) await writer.add(f);
        // Streamed frames ride on the latest progress (there is one: 'model' was emitted first), without its preview.
        const { preview: _preview, ...now } = latest!;
        report({ ...now, ready: { start, frames: run, total: ready.total, width, height, fps } });
      };

      const results: Uint8ClampedArray[][] = [];
      let frames: Awaited<ReturnType<typeof generateFrames>> | undefined;
      const passes = recipe.passes.length;
      for (const [index, pass] of recipe.passes.entries()) {
        const prefix = pass.label && passes > 1 ? `${pass.label} · ` : '';
        let denoiseStart = 0;
        const previous = results[results.length - 1] ?? [];
        frames = await generateFrames(
          model.instance,
          { prompt: pass.prompt, plan: pass.plan(previous), aspect: settings.aspect, steps: settings.steps, guidance: settings.guidance, seed: settings.seed + index },
          (p) => {
            // Progress over all passes: this pass's share of the denoising span.
            const done = (index + (p.steps ? p.step / p.steps : 0)) / passes;
            // Between passes the bar stays in the denoising span rather than going back.
            if (p.phase === 'text') {
              denoiseStart = this.now();
              emit(index === 0 ? 'text' : 'denoise', index === 0 ? 0 : done, { message: `${prefix}Reading the prompt…`, step: 0, steps: p.steps, etaSeconds: null });
            } else if (p.phase === 'denoise') {
              const perStep = (this.now() - denoiseStart) / p.step;
              // The decode costs about one step; later passes cost about as much as this one.
              const eta = ((p.steps - p.step + 1 + (passes - index - 1) * (p.steps + 1)) * perStep) / 1000;
              emit('denoise', done, { message: `${prefix}Denoising, step ${p.step} of ${p.steps}`, step: p.step, steps: p.steps, etaSeconds: eta, preview: p.preview });
            } else {
              const last = index === passes - 1;
              emit(last ? 'decode' : 'denoise', last ? 0 : done, { message: `${prefix}Decoding frames…`, step: p.steps, steps: p.steps, etaSeconds: null });
            }
          },
          signal,
          backend.gpu ? { kind: 'webgpu', device: backend.gpu.device } : { kind: 'wasm' },
          (made) =>
            keep([...made].flatMap(([i, frame]) => {
              const at = pass.outputIndex ? pass.outputIndex(i, previous) : i;
              return at === null ? [] : [[at, frame] as const];
            })),
        ).catch(async (err) => {
          // A device lost mid-run surfaces as some failed GPU call; say what really happened.
          // The loss event may trail the failed call by a moment.
          if (backend.gpu) await new Promise((resolve) => setTimeout(resolve, 50));
          if (deviceLost) {
            model.instance.releaseGpu();
            throw new GpuLostDuringGenerationError();
          }
          throw err;
        });
        results.push(frames.frames);
      }
      frames = { ...frames!, frames: recipe.assemble(results) };
      signal.throwIfAborted();
      if (frames.frames.length !== ready.total) throw new Error(`Internal error: the video has ${frames.frames.length} frames, ${ready.total} were planned.`);

      emit('encode', 0, { message: 'Finishing the video file…', step: settings.steps, steps: settings.steps, etaSeconds: null });
      // Every frame is in the file already unless a pass placed fewer than it made (then: the rest now).
      await keep(frames.frames.entries());
      const { blob, mimeType } = await writer.finish();
      emit('encode', 1, { message: 'Done', step: settings.steps, steps: settings.steps, etaSeconds: 0 });

      return {
        video: blob,
        mimeType,
        width,
        height,
        frameCount: frames.frames.length,
        fps,
        settings,
        modelSha256: model.sha256,
        knownWords: frames.knownWords,
        unknownWords: frames.unknownWords,
        elapsedMs: this.now() - started,
        backend: { kind: backend.kind, label: backend.label, reason: backend.reason },
        poster: { width, height, rgba: frames.frames[Math.floor(frames.frames.length / 2)] },
      };
    } catch (err) {
      await writer.cancel().catch(() => undefined);
      throw err;
    }
  }

  private async openModel(modelId: string | undefined, engine: 'webgpu' | 'wasm', signal: AbortSignal, onDownload: (loaded: number, total: number) => void) {
    if (this.model && (modelId === undefined || modelId === this.model.id)) return this.model;
    const source = await this.models.open(modelId, engine, onDownload, signal);
    const instance = await KinoraModel.load(source);
    if (this.model) await this.model.instance.release();
    this.model = { id: source.manifest.id, sha256: source.sha256, instance };
    return this.model;
  }
}
