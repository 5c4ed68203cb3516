// Reads the provenance record back from an MP4 that Kinora wrote (see provenance.ts).
import { BlobSource, Input, MP4, QTFF } from 'mediabunny';
import { MediaInputError } from './media-errors';
import { provenanceFromTags, type Provenance } from './provenance';

/** The file's record, or null when it is a valid MP4 with no Kinora record in it. */
export async function readProvenance(file: Blob): Promise<Provenance | null> {
  if (file.size === 0) throw new MediaInputError('empty-file', 'This file is empty (0 bytes).');
  const input = new Input({ source: new BlobSource(file), formats: [MP4, QTFF] });
  try {
    if (!(await input.canRead().catch(() => false))) {
      throw new MediaInputError('not-a-video', 'This file is not an MP4 video, so it carries no Kinora record.');
    }
    return provenanceFromTags(await input.getMetadataTags());
  } catch (e) {
    if (e instanceof MediaInputError) throw e;
    throw new MediaInputError('corrupt-video', 'This MP4 looks damaged: its metadata could not be read.', { cause: e });
  } finally {
    input.dispose();
  }
}
