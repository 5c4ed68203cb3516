// The caption the site's recaption step makes of each free-suite prompt: {prompt: caption}
// ('' where it finds nothing to draw, which the model then reads as the empty caption).
import { recaption } from '../src/model/recaption';

export function freeSuiteCaptions(prompts: readonly string[]): Record<string, string> {
  return Object.fromEntries(prompts.map((p) => {
    const result = recaption(p).caption;
    return [p, result.ok ? result.caption : ''];
  }));
}
