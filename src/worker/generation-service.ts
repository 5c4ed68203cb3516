// Runs generations in the worker, one at a time (or several takes of one request in a row): opens (and keeps) the requested model, turns
// the request into passes of the model (mode-plan.ts), and reports progress with an ETA
// (progress-meter.ts). Frames are written into the video file and sent to the page as soon as
// they are final from the start on (frame-streamer.ts). Cancel aborts within one denoising step;
// nothing is kept of a cancelled or failed run.
import type { GpuContext } from '../gpu/device';
import type { Engine } from '../model/denoiser';
import type { GeneratedFrames } from '../model/generate-frames';
import { KinoraModel, type ModelSource } from '../model/kinora-model';
import type { ModelManifest } from '../model/manifest';
import type { GenerateProgress, GenerateRequest, GenerateResult, GenerationSettings, NegativeReading, PromptReading } from './api';
import { chooseBackend, type ChosenBackend } from './backend-choice';
import type { OpenClipWriter } from './clip-writer';
import { blameDeviceLoss } from './device-loss';
import { FrameStreamer } from './frame-streamer';
import { GenerationBusyError, GenerationCancelledError } from './generation-errors';
import { resolveSettings } from './generation-settings';
import { validateRequest } from './request-validation';
import { planRecipe, type Recipe } from './mode-plan';
import { readNegative, readPrompt } from './prompt-reading';
import { ProgressMeter, type ModelLoadReport } from './progress-meter';
import { TakeProgress, validateTakeCount } from './take-progress';

/** What the takes of one request share (GenerationService.prepare). */
interface PreparedJob {
  backend: ChosenBackend;
  model: { id: string; sha256: string; instance: GenerationModel };
  settings: GenerationSettings;
  recipe: Recipe;
  readings: ReadonlyMap<string, PromptReading>;
  reading: { prompts: PromptReading[]; negative: NegativeReading | undefined };
}

/** Where models come from: the loader (network + IndexedDB cache, verified by hash). */
export interface ModelProvider {
  /** Only the manifest: cheap, for the page's hints and defaults; stores nothing. */
  manifest(modelId: string | undefined, signal?: AbortSignal): Promise<ModelManifest>;
  /** The model with the files a generation on `engine` needs; others load on first use. */
  open(modelId: string | undefined, engine: Engine, onProgress: (load: ModelLoadReport) => void, signal: AbortSignal): Promise<ModelSource & { sha256: string }>;
}

/** What the service drives of a model: a KinoraModel, or a test's fake. */
export type GenerationModel = Pick<KinoraModel, 'manifest' | 'generate' | 'releaseDenoiser' | 'release'> & Partial<Pick<KinoraModel, 'gpuPool'>>;

export interface GenerationServiceDeps {
  models: ModelProvider;
  openWriter: OpenClipWriter;
  /** The worker's GPU device (a fresh one after a loss); rejects when there is none. */
  gpu: () => Promise<GpuContext>;
  now?: () => number;
  /** Builds the model from its files; KinoraModel.load unless a test hands in a fake. */
  loadModel?: (source: ModelSource) => Promise<GenerationModel>;
}

export class GenerationService {
  private model: { id: string; sha256: string; instance: GenerationModel } | undefined;
  private running: AbortController | undefined;
  private readonly now: () => number;
  private readonly loadModel: (source: ModelSource) => Promise<GenerationModel>;

  constructor(private readonly deps: GenerationServiceDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.loadModel = deps.loadModel ?? ((source) => KinoraModel.load(source));
  }

  cancel(): void {
    this.running?.abort(new GenerationCancelledError());
  }

  async generate(input: GenerateRequest, report: (p: GenerateProgress) => void): Promise<GenerateResult> {
    const [made] = await this.generateTakes(input, 1, report, () => undefined);
    return made;
  }

  /**
   * Makes `count` takes of one request with consecutive seeds (seed, seed + 1, …), one after
   * another under one cancel: the engine, the model and the prompt's reading are prepared once and
   * shared. Each finished take is handed to `onTake` at once (the page shows and keeps it); Cancel
   * stops the batch, and the takes already handed over stay the caller's.
   */
  async generateTakes(input: GenerateRequest, count: number, report: (p: GenerateProgress) => void,
                      onTake: (take: GenerateResult, index: number) => void | Promise<void>): Promise<GenerateResult[]> {
    if (this.running) throw new GenerationBusyError();
    // The request as the studio, the automation door or the command line sent it: checked whole, first.
    const request = validateRequest(input);
    const takes = validateTakeCount(count);
    const controller = new AbortController();
    this.running = controller;
    try {
      const started = this.now();
      const meter = new ProgressMeter(this.now);
      const batch = new TakeProgress(takes, this.now);
      // Opening the model is the first take's work, on the first take's part of the bar.
      const first = batch.reporter(0, report);
      first(meter.loading());
      const job = await this.prepare(request, controller.signal, (load) => first(meter.loading(load)));
      const made: GenerateResult[] = [];
      for (let index = 0; index < takes; index++) {
        const seed = (job.settings.seed + index) >>> 0;
        const take = await this.makeTake(job, { ...job.settings, seed }, index === 0 ? started : this.now(),
                                         batch.reporter(index, report), controller.signal);
        batch.finished();
        made.push(take);
        await onTake(take, index);
      }
      return made;
    } catch (err) {
      throw controller.signal.aborted ? new GenerationCancelledError() : err;
    } finally {
      this.running = undefined;
    }
  }

  /** What every take of a request shares: the engine, the open model, the plan and the prompts as read. */
  private async prepare(request: GenerateRequest, signal: AbortSignal, onLoad: (load: ModelLoadReport) => void): Promise<PreparedJob> {
    // The engine first: it decides which of the model's files to fetch.
    const backend = await chooseBackend(request.backend ?? 'auto', this.deps.gpu);
    const model = await this.openModel(request.modelId, backend.kind, signal, onLoad);
    signal.throwIfAborted();

    const m = model.instance.manifest;
    const settings = resolveSettings(request, m);
    const recipe = await planRecipe(request, m);
    // Every prompt is read before a file opens: one with nothing to draw stops here, and the
    // provenance records the captions the model reads.
    const scene = request.mode?.kind === 'storyboard' ? undefined : request.scene;
    const readings = new Map(recipe.passes.map((pass) => [pass.prompt, readPrompt(pass.prompt, { negativePrompt: request.negativePrompt, scene })]));
    const reading = { prompts: [...readings.values()], negative: readNegative(request.negativePrompt, settings.guidance) };
    return { backend, model, settings, recipe, readings, reading };
  }

  /** One video of the prepared job, with `settings` (its own seed): passes, file, result. */
  private async makeTake(job: PreparedJob, settings: GenerationSettings, started: number,
                         report: (p: GenerateProgress) => void, signal: AbortSignal): Promise<GenerateResult> {
    const { backend, model, recipe, readings, reading } = job;
    const meter = new ProgressMeter(this.now);
    const m = model.instance.manifest;
    const { width, height } = m.video.sizes[settings.aspect];
    const fps = m.video.fps;
    const writer = await this.deps.openWriter({ width, height, fps, provenance: { settings, reading, modelSha256: model.sha256, createdAt: new Date().toISOString() } });
    try {
      const stream = new FrameStreamer(recipe.totalFrames, writer, { width, height, fps }, (ready) => report(meter.withFrames(ready)));
      const made = await blameDeviceLoss(
        backend.gpu,
        () => this.runPasses({ recipe, readings, negative: reading.negative, model: model.instance, backend, settings, stream, signal, progress: (p) => report(p), meter }),
        () => model.instance.releaseDenoiser(backend.kind),
      );
      const frames = recipe.assemble(made.results);
      signal.throwIfAborted();
      if (frames.length !== stream.total) throw new Error(`Internal error: the video has ${frames.length} frames, ${stream.total} were planned.`);

      report(meter.finishing(settings.steps));
      // Every frame is in the file already unless a pass placed fewer than it made (then: the rest now).
      await stream.put(frames.entries());
      const { blob, mimeType, contentCredentials } = await writer.finish();
      // Cancel during "Finishing the video file…" counts too: nothing is returned, nothing kept.
      signal.throwIfAborted();
      report(meter.done(settings.steps));
      const gpuPool = await model.instance.gpuPool?.(backend.kind);

      return {
        video: blob,
        mimeType,
        width,
        height,
        frameCount: frames.length,
        fps,
        settings,
        modelSha256: model.sha256,
        knownWords: made.last.knownWords,
        unknownWords: [...new Set(reading.prompts.flatMap((r) => r.unknown))],
        reading,
        elapsedMs: this.now() - started,
        backend: { kind: backend.kind, label: backend.label, reason: backend.reason,
                   ...(gpuPool ? { gpuPool: { allocatedBytes: gpuPool.allocatedBytes, inUseBytes: gpuPool.inUseBytes } } : {}) },
        poster: { width, height, rgba: frames[Math.floor(frames.length / 2)] },
        ...(contentCredentials ? { contentCredentials } : {}),
      };
    } catch (err) {
      await writer.cancel().catch(() => undefined);
      throw err;
    }
  }

  /** Each pass of the recipe in turn, each seeing the frames of the one before; its frames stream as they are made. */
  private async runPasses(job: {
    recipe: Recipe;
    readings: ReadonlyMap<string, PromptReading>;
    negative: NegativeReading | undefined;
    model: GenerationModel;
    backend: ChosenBackend;
    settings: GenerationSettings;
    stream: FrameStreamer;
    meter: ProgressMeter;
    progress: (p: GenerateProgress) => void;
    signal: AbortSignal;
  }): Promise<{ results: Uint8ClampedArray[][]; last: GeneratedFrames }> {
    const { recipe, settings } = job;
    const negativeCaption = job.negative?.used ? job.negative.caption : undefined;
    const negativeScene = job.negative?.used ? job.negative.scene : undefined;
    const results: Uint8ClampedArray[][] = [];
    let last: GeneratedFrames | undefined;
    for (const [index, pass] of recipe.passes.entries()) {
      const previous = results[results.length - 1] ?? [];
      const previousLatents = last?.latents; // the pass before's clean latents, for a pass that continues it
      const position = { index, count: recipe.passes.length, label: pass.label };
      last = await job.model.generate({
        engine: job.backend.engine,
        request: {
          caption: job.readings.get(pass.prompt)!.caption, scene: job.readings.get(pass.prompt)!.scene, negativeCaption,
          ...(negativeScene ? { negativeScene } : {}),
          plan: pass.plan(previous, previousLatents), aspect: settings.aspect, steps: settings.steps, guidance: settings.guidance, seed: settings.seed + index,
        },
        onProgress: (p) => job.progress(job.meter.frames(p, position)),
        onFrames: (made) =>
          job.stream.put(
            [...made].flatMap(([i, frame]) => {
              const at = pass.outputIndex ? pass.outputIndex(i, previous) : i;
              return at === null ? [] : [[at, frame] as const];
            }),
          ),
        signal: job.signal,
      });
      results.push(last.frames);
    }
    return { results, last: last! };
  }

  private async openModel(modelId: string | undefined, engine: Engine, signal: AbortSignal, onProgress: (load: ModelLoadReport) => void) {
    if (this.model && (modelId === undefined || modelId === this.model.id)) return this.model;
    const source = await this.deps.models.open(modelId, engine, onProgress, signal);
    const instance = await this.loadModel(source);
    if (this.model) await this.model.instance.release();
    this.model = { id: source.manifest.id, sha256: source.sha256, instance };
    return this.model;
  }
}

