// The files a finished video can be downloaded as, as the result's download area names them: what
// each is for and, plainly, what it carries of Kinora's provenance (README, "Other formats").
import type { DownloadFormat, Enlargement } from '../worker/download-api';

export interface FormatOffer {
  format: DownloadFormat;
  label: string;
  extension: string;
  /** One line: what the file keeps of where it came from, and what it cannot. */
  carries: string;
}

export const FORMAT_OFFERS: readonly FormatOffer[] = [
  {
    format: 'mp4',
    label: 'MP4',
    extension: 'mp4',
    carries: 'plays everywhere; Content Credentials (C2PA, signed on this device — an enlarged copy is signed anew), the metadata record and the invisible watermark.',
  },
  {
    format: 'webm',
    label: 'WebM',
    extension: 'webm',
    carries: 'VP9 (AV1 where VP9 cannot be encoded); the metadata record (Matroska tags) and the watermark. No Content Credentials: the C2PA SDK cannot write them into WebM.',
  },
  {
    format: 'gif',
    label: 'GIF',
    extension: 'gif',
    carries: 'an animated image that loops, for chats; Content Credentials (C2PA, signed anew), the metadata record (a GIF comment) and the watermark, in 256 colours. Kinora’s checker does not read GIFs yet.',
  },
];

/** kinora-video-1234.mp4 → kinora-video-1234-2x-smooth.gif: the same name, with how it differs. */
export function copyFileName(mp4Name: string, offer: FormatOffer, enlargement: Enlargement): string {
  const base = mp4Name.replace(/\.mp4$/, '');
  const enlarged = enlargement.factor > 1 ? `-${enlargement.factor}x${enlargement.resample === 'smooth' ? '-smooth' : ''}` : '';
  return `${base}${enlarged}.${offer.extension}`;
}
