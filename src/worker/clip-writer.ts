// The video file a generation writes as its frames become final: what the service asks of it,
// so that the MP4 writer (mp4-clip-encoder.ts) and a test's fake are interchangeable.
import type { ContentCredentials } from '../provenance/content-credentials';
import type { GenerateResult, GenerationSettings } from './api';

/** Everything that goes into the file's provenance record. */
export interface ClipProvenance {
  settings: GenerationSettings;
  /** The captions the model reads and the negative prompt. */
  reading: GenerateResult['reading'];
  modelSha256: string;
  createdAt: string;
}

/** A video file written frame by frame, in order. */
export interface ClipWriter {
  add(frame: Uint8ClampedArray): Promise<void>;
  /** The file; with whether it carries signed C2PA Content Credentials (absent: a writer that does not sign). */
  finish(): Promise<{ blob: Blob; mimeType: string; contentCredentials?: ContentCredentials }>;
  /** Drops what was written. */
  cancel(): Promise<void>;
}

export type OpenClipWriter = (clip: { width: number; height: number; fps: number; provenance: ClipProvenance }) => Promise<ClipWriter>;
