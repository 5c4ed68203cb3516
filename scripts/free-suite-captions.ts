// What the site's recaption step makes of each free-suite prompt, for the PyTorch eval:
// the caption a text model reads ({prompt: caption}, '' where it finds nothing to draw, which the
// model then reads as the empty caption) and the scene a scene model reads ({prompt: scene}, null
// where there is nothing to draw).
import { recaption, type Scene } from '../src/model/recaption';

export function freeSuiteCaptions(prompts: readonly string[]): Record<string, string> {
  return Object.fromEntries(prompts.map((p) => {
    const result = recaption(p).caption;
    return [p, result.ok ? result.caption : ''];
  }));
}

export function freeSuiteScenes(prompts: readonly string[]): Record<string, Scene | null> {
  return Object.fromEntries(prompts.map((p) => {
    const read = recaption(p);
    return [p, read.caption.ok ? read.parse.scene : null];
  }));
}
