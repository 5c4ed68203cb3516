// The typed contract between the page and the download worker (download-worker.ts), which makes
// the other files a finished video can be downloaded as. Both sides import this file and nothing
// else of each other, as with the generation worker's api.ts.
import type { ContentCredentials } from '../provenance/content-credentials';
import type { DownloadFormat } from '../video/download-provenance';
import type { Enlargement } from '../video/frame-enlargement';

export type { DownloadFormat } from '../video/download-provenance';
export type { Enlargement, EnlargementFactor, Resample } from '../video/frame-enlargement';
export type { ContentCredentials } from '../provenance/content-credentials';

export interface DownloadRequest {
  format: DownloadFormat;
  enlargement: Enlargement;
  /** The size the model made the frames at (GenerateResult's width and height). */
  frame: { width: number; height: number };
  fps: number;
}

export interface DownloadedFile {
  blob: Blob;
  mimeType: string;
  frameCount: number;
  /** The size of the file's pictures. */
  width: number;
  height: number;
  /** For an MP4: whether it carries Content Credentials signed on this device, or why not. Absent for formats that cannot carry them. */
  contentCredentials?: ContentCredentials;
}

export interface DownloadWorkerApi {
  /** `video` (Kinora's MP4) as the file `request` asks for, made from its decoded frames. */
  makeCopy(video: Blob, request: DownloadRequest): Promise<DownloadedFile>;
}
