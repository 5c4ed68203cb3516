// What the negative prompt asks against the prompt itself: "red" left out of "a red ball", or the
// prompt pasted into both boxes. Guidance steers away from the negative caption, so a video made so
// fights what was asked; the person is warned instead of being handed a muddy video unexplained.
import type { NegativePrompt } from './negative';
import type { Parse } from './parse';

export function negativeConflicts(prompt: Parse, negative: NegativePrompt): string[] {
  const same = (a: string) => a.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (same(prompt.prompt) && same(prompt.prompt) === same(negative.text)) {
    return ['The negative prompt is the prompt itself: guidance would steer away from everything asked for. Clear "Leave out" or name only what should not appear.'];
  }
  const clashes = new Set<string>();
  for (const o of prompt.objects) {
    for (const u of negative.unwanted) {
      // A thing clashes when all the negative prompt names of it is what the prompt asks for.
      const named: [wanted: string, asked: string | undefined][] = [];
      if (u.colour) named.push([u.colour, o.stated.colour ? o.colour : undefined]);
      if (u.shape) named.push([u.shape, o.stated.shape ? o.shape : undefined]);
      if (u.size) named.push([u.size, o.stated.size ? o.size : undefined]);
      if (named.length && named.every(([unwanted, asked]) => unwanted === asked)) clashes.add(u.text || named.map(([w]) => w).join(' '));
    }
  }
  if (!clashes.size) return [];
  const list = [...clashes].map((c) => `“${c}”`).join(', ');
  return [`The negative prompt leaves out ${list}, which the prompt asks for: guidance will steer away from it and the video may not show it. Take it out of "Leave out" if you want it.`];
}
