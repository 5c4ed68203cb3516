// The largest centred rectangle of a source picture with the target's aspect ratio: what an
// imported image or clip is cut to before it is scaled to the model's grid, so nothing is
// stretched and no black bars enter the model's input.
import type { FrameSize } from './rgba-frame';

export interface SourceRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function centreCropRect(source: FrameSize, target: FrameSize): SourceRect {
  const sourceAspect = source.width / source.height;
  const targetAspect = target.width / target.height;
  if (sourceAspect > targetAspect) {
    const width = source.height * targetAspect; // source is wider: cut the sides
    return { x: (source.width - width) / 2, y: 0, width, height: source.height };
  }
  const height = source.width / targetAspect; // source is taller: cut top and bottom
  return { x: 0, y: (source.height - height) / 2, width: source.width, height };
}
