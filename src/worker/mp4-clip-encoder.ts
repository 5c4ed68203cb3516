// The worker's ClipEncoder: generated RGBA frames → MP4 with the provenance record, via src/video.
import { encodeMp4 } from '../video/mp4-video-writer';
import type { ClipEncoder } from './generation-service';

export const encodeClipAsMp4: ClipEncoder = async (clip) => {
  const { settings, modelSha256, createdAt } = clip.provenance;
  const encoded = await encodeMp4(
    clip.frames.map((data) => ({ width: clip.width, height: clip.height, data })),
    {
      frame: { width: clip.width, height: clip.height },
      fps: clip.fps,
      generation: {
        model: { id: settings.modelId, sha256: modelSha256 },
        prompt: settings.prompt,
        seed: settings.seed,
        settings: { steps: settings.steps, guidance: settings.guidance, aspect: settings.aspect, seconds: settings.seconds },
        createdAt: new Date(createdAt),
      },
    },
  );
  return { blob: encoded.blob, mimeType: 'video/mp4' };
};
