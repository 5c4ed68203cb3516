// The typed contract between the page and the generation worker. Both sides import
// this file and nothing else of each other: the page calls these methods through
// comlink, and the worker implements them (its errors arrive through error-channel.ts).
import type { AdapterFacts, DeviceLossCause } from '../gpu/device';
import type { Aspect } from '../model/manifest';
import type { PreviewFrames } from '../model/latent-preview';
import type { Engine } from '../model/denoiser';
import type { ModelFileSource } from '../model/loader/load-model';
import type { Scene } from '../model/recaption/scene';
import type { SceneCondition } from '../model/scene-condition';
import type { ContentCredentials } from '../provenance/content-credentials';

export type { AdapterFacts } from '../gpu/device';
export type { Engine } from '../model/denoiser';
export type { Aspect } from '../model/manifest';
export type { PreviewFrames } from '../model/latent-preview';
export type { Scene } from '../model/recaption/scene';

/** Why WebGPU cannot run here, as the user should hear it. */
export type GpuUnavailableKind = 'no-webgpu' | 'no-adapter' | 'device-refused' | 'error';

export type GpuStatus =
  | {
      state: 'ready';
      facts: AdapterFacts;
      /** Counts devices this worker has created: it grows by one after each device loss. */
      deviceNumber: number;
    }
  | { state: 'unavailable'; kind: GpuUnavailableKind; message: string };

export interface DeviceLostEvent {
  reason: DeviceLossCause;
  message: string;
  /** The device number that was lost. */
  deviceNumber: number;
}

/**
 * What the video starts from, besides the prompt. Given frames are fitted (centre-cropped and
 * scaled) to the model's size for the aspect and kept as they are in the output.
 */
export type GenerationMode =
  | { kind: 'text' }
  /** The image becomes the first frame. */
  | { kind: 'image'; image: Blob }
  /** The clip (MP4/WebM) is continued after its end, or preceded by what came before it. */
  | { kind: 'extend'; clip: Blob; direction: 'forward' | 'backward' }
  /** The first image opens the video, the last closes it; the model fills the time between. */
  | { kind: 'connect'; first: Blob; last: Blob }
  /** Re-imagine the clip's first seconds under the prompt; strength 0…1: how far from the original (SDEdit). */
  | { kind: 'edit'; clip: Blob; strength: number }
  /** A text-to-video whose end leads back into its start, so it repeats seamlessly. */
  | { kind: 'loop' }
  /** Several shots, each with its own prompt and length, each continuing from the last. */
  | { kind: 'storyboard'; shots: StoryboardShot[] };

export interface StoryboardShot {
  prompt: string;
  seconds: number;
}

/** The mode as remembered with a result: its kind, without the input files. */
export type ModeSummary = { kind: GenerationMode['kind']; direction?: 'forward' | 'backward'; shots?: StoryboardShot[]; strength?: number };

/** What to make. Omitted settings take the model's defaults. */
export interface GenerateRequest {
  prompt: string;
  /** Clip length; rounded to whole frames at the model's frame rate. */
  seconds: number;
  aspect: Aspect;
  /** A u32; the same seed, prompt and settings give the same video. */
  seed: number;
  steps?: number;
  guidance?: number;
  /** A model id from listModels(); the default model when omitted. */
  modelId?: string;
  /**
   * Where the denoiser runs. auto: our WGSL on a real GPU; onnxruntime-web's WebAssembly where
   * there is no adapter or only a CPU-emulated one (about 100× faster than WebGPU emulated on a CPU).
   */
  backend?: BackendChoice;
  /** Text-to-video when omitted. */
  mode?: GenerationMode;
  /** What the video should not contain ("no stars", "not blue"); read like the prompt (prompt-reading.ts). */
  negativePrompt?: string;
  /**
   * Whether the MP4 carries the prompt, the caption the model read and the negative prompt (its
   * provenance tags). Off when omitted: the prompt is the user's, and a shared clip should not
   * share it. Seed, settings, mode and model go into the file either way; the gallery keeps the
   * prompt regardless.
   */
  promptInFile?: boolean;
  /**
   * The scene as the person set it part by part (the studio's "Kinora will make:"): the model reads
   * its caption instead of the prompt's. The prompt stays as typed. Not for a storyboard's shots.
   */
  scene?: Scene;
}

/** The request as run: defaults filled in (no negative prompt: ''), the mode without its files. */
export type GenerationSettings = Required<Omit<GenerateRequest, 'mode' | 'scene'>> & { mode: ModeSummary; scene?: Scene };

/** How one prompt was read (src/worker/prompt-reading.ts). */
export interface PromptReading {
  /** As typed. */
  prompt: string;
  /** What a text model read: the caption recaption() wrote, in the words it was trained on. */
  caption: string;
  /** What a scene model reads: the scene itself (the caption was written from it). */
  scene: Scene;
  /** Plain sentences: "crimson → red", what cannot be drawn and what stands in for it. */
  notes: string[];
  /** Nouns the model cannot draw and words it did not understand. */
  unknown: string[];
}

/** How the negative prompt was read, and whether guidance could use it. */
export interface NegativeReading {
  text: string;
  /** The caption on the unconditional side of guidance; absent when it names nothing Kinora draws. */
  caption?: string;
  /** The same for a scene model: only the parts it names (negative-scene.ts). */
  scene?: SceneCondition;
  /** False when nothing drawable was named or the model runs without guidance (guidance 1). */
  used: boolean;
  notes: string[];
}

export type BackendChoice = 'auto' | Engine;

export type GenerationPhase = 'model' | 'text' | 'denoise' | 'decode' | 'encode';

export interface GenerateProgress {
  phase: GenerationPhase;
  /** Overall progress in [0, 1]. */
  fraction: number;
  /** Denoising steps done and planned. */
  step: number;
  steps: number;
  /** Seconds left, from the steps measured so far; null until one step has been timed. */
  etaSeconds: number | null;
  /** A sentence for the status line. */
  message: string;
  /** Model bytes loaded, while the model is opened, and whether they come from this device or the network. */
  download?: { loaded: number; total: number; source: ModelFileSource };
  /** A small picture of the current estimate, one image per frame. */
  preview?: PreviewFrames;
  /** Frames of the video that are final, sent once each, in order from the start: watch while it is made. */
  ready?: StreamedFrames;
  /** In a batch of takes (generateTakes): which take this progress is of. */
  take?: { index: number; count: number };
}

export interface StreamedFrames {
  /** Output index of frames[0]; the frames before it were sent earlier. */
  start: number;
  /** RGBA at width × height. */
  frames: Uint8ClampedArray[];
  /** Frames the finished video will have. */
  total: number;
  width: number;
  height: number;
  fps: number;
}

export interface GenerateResult {
  video: Blob;
  mimeType: string;
  width: number;
  height: number;
  frameCount: number;
  fps: number;
  /** The request as run, defaults filled in. */
  settings: GenerationSettings;
  modelSha256: string;
  /** Words the model read (the caption's), and words of the prompt it could not use. */
  knownWords: string[];
  unknownWords: string[];
  /** Each prompt (one per storyboard shot) with the caption the model read, and the negative prompt. */
  reading: { prompts: PromptReading[]; negative?: NegativeReading };
  elapsedMs: number;
  /** Which engine ran the denoiser, and why it was chosen. */
  backend: {
    kind: Engine;
    label: string;
    reason: string;
    /** On WebGPU: the bytes the denoiser's buffer pool holds after the video, and how many are still handed out (0 when none leak). */
    gpuPool?: { allocatedBytes: number; inUseBytes: number };
  };
  /** The middle frame, RGBA at the model's resolution: the gallery's thumbnail. */
  poster: { width: number; height: number; rgba: Uint8ClampedArray };
  /** Whether the MP4 carries C2PA Content Credentials signed on this device, or why not (absent: not attempted). */
  contentCredentials?: ContentCredentials;
}

/**
 * Whether an error is the user's to fix — the prompt, a file, the mode — so that trying the same
 * request again would fail the same way (the page then offers no "Try again"). The error classes
 * that are say so with `userError = true`; the flag survives the trip to the page (error-channel.ts).
 */
export function isUserError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { userError?: unknown }).userError === true;
}

/** What the page needs to know of a model before generating: its words and its defaults. */
export interface ModelInfo {
  id: string;
  description: string;
  vocabulary: string[];
  maxTokens: number;
  defaultSteps: number;
  defaultGuidance: number;
  fps: number;
  maxFrames: number;
}

export interface ModelListing {
  id: string;
  description: string;
  /** One line on what the model is good at, from the site's index ('' when it says nothing). */
  goodAt: string;
  /** The manifest's default steps and frame rate: what "how fast on this device" is reckoned at. */
  defaultSteps: number;
  fps: number;
  /** Bytes to download for generating (test goldens excluded). */
  sizeBytes: number;
  /** Bytes of it not yet on this device under any model (models share identical parts). */
  downloadBytes: number;
  /** Bytes of it kept on this device. */
  cachedBytes: number;
  /** Everything needed is on this device: it works offline. */
  cached: boolean;
  isDefault: boolean;
}

export interface KinoraWorkerApi {
  /** The site's models with their size and whether this device keeps them, counting the files `backend` uses (default: automatic). */
  listModels(backend?: BackendChoice): Promise<ModelListing[]>;
  /** Removes a model's files from this device (it downloads again on next use). */
  deleteCachedModel(modelId: string): Promise<void>;
  /** The model's words and defaults, from its manifest (cached copy when offline). */
  modelInfo(modelId?: string): Promise<ModelInfo>;
  /** Makes one video; progress arrives through `onProgress` (wrapped with comlink's `proxy`). */
  generate(request: GenerateRequest, onProgress: (progress: GenerateProgress) => void): Promise<GenerateResult>;
  /**
   * Makes `count` (1–4) takes of one request with consecutive seeds, sharing the model and the
   * prompt's reading; each finished take goes to `onTake` at once (both callbacks wrapped with
   * comlink's `proxy`). Cancel stops the batch: the takes already handed over are the page's.
   */
  generateTakes(request: GenerateRequest, count: number, onProgress: (progress: GenerateProgress) => void,
                onTake: (take: GenerateResult, index: number) => void): Promise<GenerateResult[]>;
  /** Stops the running generation within one denoising step; its promise rejects with a cancellation. */
  cancel(): Promise<void>;
  /** The GPU as it is now; acquires a device first if there is none or the last one was lost. */
  gpuStatus(): Promise<GpuStatus>;
  /** Registers a listener (wrapped with comlink's `proxy`) told whenever the worker's device is lost. */
  onDeviceLost(listener: (event: DeviceLostEvent) => void): Promise<void>;
  /** Destroys the current device as a driver reset would: for tests and for the "GPU lost" UI path. */
  loseDeviceForTesting(): Promise<void>;
}
