// The worker's ClipWriter: generated RGBA frames → MP4 with the provenance record, via src/video,
// written frame by frame as the frames become final, each with the pixel watermark added first
// (src/video/watermark.ts: every mode's frames, the user's given ones included); the finished file
// is then signed with C2PA Content Credentials (src/provenance), or returned unsigned with the
// reason when that fails.
import { addContentCredentials, prepareContentCredentials } from '../provenance/content-credentials';
import { Mp4VideoWriter } from '../video/mp4-video-writer';
import { addWatermark } from '../video/watermark';
import type { OpenClipWriter } from './clip-writer';

export const openMp4ClipWriter: OpenClipWriter = async (clip) => {
  prepareContentCredentials();
  const { settings, reading, modelSha256, createdAt } = clip.provenance;
  const writer = await Mp4VideoWriter.create({
    frame: { width: clip.width, height: clip.height },
    fps: clip.fps,
    generation: {
      model: { id: settings.modelId, sha256: modelSha256 },
      prompt: settings.prompt,
      promptInFile: settings.promptInFile,
      caption: reading.prompts.map((r) => r.caption).join(' / '),
      ...(reading.negative ? { negative: { prompt: reading.negative.text, caption: reading.negative.caption ?? '', used: reading.negative.used } } : {}),
      seed: settings.seed,
      settings: { steps: settings.steps, guidance: settings.guidance, aspect: settings.aspect, seconds: settings.seconds, mode: settings.mode.kind },
      createdAt: new Date(createdAt),
    },
  });
  return {
    add: (data) => writer.addFrame(addWatermark({ width: clip.width, height: clip.height, data })),
    finish: async () => {
      const encoded = await writer.finish();
      const { video, credentials } = await addContentCredentials(encoded.blob, encoded.provenance);
      return { blob: video, mimeType: 'video/mp4', contentCredentials: credentials };
    },
    cancel: () => writer.cancel(),
  };
};
