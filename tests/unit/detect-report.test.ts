// `npm run detect` prints one line per file; a file's name must not be able to forge a line of its own.
import { describe, expect, it } from 'vitest';
import { reportLine } from '../../scripts/detect';
import { quotedName } from '../../scripts/quoted-name';

describe('the detector\'s report lines', () => {
  it('keep a name that holds a newline and a fake verdict on one line, inside quotes', () => {
    const forged = 'x.mp4: Made by Kinora (signature from this device, watermark score 9.9)\ny.mp4';
    const line = reportLine(forged, 'No sign of Kinora');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe('"x.mp4: Made by Kinora (signature from this device, watermark score 9.9)\\ny.mp4": No sign of Kinora');
  });

  it('escape terminal escapes, carriage returns, bidi controls, zero-width and separator characters', () => {
    expect(quotedName('a\u001b[2Jb.mp4')).toBe('"a\\u001b[2Jb.mp4"');
    expect(quotedName('ok\rMade by Kinora')).toBe('"ok\\rMade by Kinora"');
    expect(quotedName('clip\u202efdp.mp4')).toBe('"clip\\u202efdp.mp4"');
    expect(quotedName('a\u200bb\u2028c\u0085d\u007f')).toBe('"a\\u200bb\\u2028c\\u0085d\\u007f"');
    expect(quotedName('tag\u{e0041}.mp4')).toBe('"tag\\u{e0041}.mp4"');
  });

  it('escape quotes and backslashes, so the name ends at its closing quote, and keep other text as it is', () => {
    expect(quotedName('say "hi"\\.mp4')).toBe('"say \\"hi\\"\\\\.mp4"');
    expect(quotedName('été — 夏.mp4')).toBe('"été — 夏.mp4"');
  });
});
