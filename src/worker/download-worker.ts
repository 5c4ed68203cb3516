// The download worker's entry: it makes the other files a finished video can be downloaded as
// (src/video/download-copy.ts: WebM, an animated GIF, an enlarged MP4) off the main thread, as
// the generation worker writes the MP4 off it, so the page stays responsive while a minute of
// video is decoded and encoded again. A worker of its own: a copy never waits for a generation
// that is running, nor holds it up. An enlarged MP4 gets Content Credentials as the original
// does (a fresh key for it); WebM and GIF are not signed (see README, "Other formats").
import * as Comlink from 'comlink';
import { addContentCredentials } from '../provenance/content-credentials';
import { addGifContentCredentials } from '../provenance/gif-content-credentials';
import { makeCopy } from '../video/download-copy';
import { isEnlargement } from '../video/frame-enlargement';
import { MediaInputError } from '../video/media-errors';
import type { DownloadWorkerApi } from './download-api';
import { sendUserErrorFlag } from './error-channel';

const FORMATS: readonly string[] = ['mp4', 'webm', 'gif'];

const api: DownloadWorkerApi = {
  async makeCopy(video, request) {
    if (!(video instanceof Blob) || !FORMATS.includes(request?.format) || !isEnlargement(request.enlargement) || !(request.fps > 0)) {
      throw new MediaInputError('bad-request', `Cannot make a download of ${JSON.stringify(request)}: give a video, a format (${FORMATS.join(', ')}), an enlargement and a frame rate.`);
    }
    const copy = await makeCopy(video, request);
    const file = { blob: copy.blob, mimeType: copy.mimeType, frameCount: copy.frameCount, width: copy.width, height: copy.height };
    if (!copy.provenance || request.format === 'webm') return file;
    if (request.format === 'gif') {
      const { gif, credentials } = await addGifContentCredentials(copy.blob, copy.provenance);
      return { ...file, blob: gif, contentCredentials: credentials };
    }
    const { video: signed, credentials } = await addContentCredentials(copy.blob, copy.provenance);
    return { ...file, blob: signed, contentCredentials: credentials };
  },
};

sendUserErrorFlag();
Comlink.expose(api);
