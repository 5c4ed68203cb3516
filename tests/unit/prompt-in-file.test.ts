// The prompt is the user's: the command line and the request as run keep it out of the MP4 unless
// asked (the provenance record itself: video-provenance.test.ts; the studio's setting: settings.test.ts).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGenerateArgs } from '../../scripts/generate';
import type { ModelManifest } from '../../src/model/manifest';
import { resolveSettings } from '../../src/worker/generation-settings';

const out = join(mkdtempSync(join(tmpdir(), 'kinora-cli-')), 'clip.mp4');
const manifest = JSON.parse(readFileSync('tests/fixtures/models/tiny/manifest.json', 'utf8')) as ModelManifest;

describe('the prompt in the file', () => {
  it('is left out by the command line unless --include-prompt is given', () => {
    expect(parseGenerateArgs(['a red ball', '--out', out]).request.promptInFile).toBe(false);
    expect(parseGenerateArgs(['a red ball', '--out', out, '--include-prompt']).request.promptInFile).toBe(true);
  });

  it('is left out of a request as run that does not ask for it, while the settings keep the prompt', () => {
    const request = { prompt: 'a red ball', seconds: 1, aspect: '1:1', seed: 7 } as const;
    expect(resolveSettings(request, manifest)).toMatchObject({ prompt: 'a red ball', promptInFile: false });
    expect(resolveSettings({ ...request, promptInFile: true }, manifest).promptInFile).toBe(true);
  });
});
