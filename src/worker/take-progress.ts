// One progress bar for a batch of takes (variations): each take's own progress, from its meter,
// becomes its share of the whole bar, its status line says which take it is, and the time left
// counts the takes still to come at the pace of those already made.
import type { GenerateProgress } from './api';
import { InvalidRequestError } from './request-validation';

/** At most this many takes in one batch: the studio offers 2–4, the command line the same. */
export const MAX_TAKES = 4;

export function validateTakeCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_TAKES) {
    throw new InvalidRequestError(`The number of takes must be a whole number from 1 to ${MAX_TAKES}, not ${String(count)}.`);
  }
  return count;
}

export class TakeProgress {
  /** When the take now being made began, and how long the last finished one took (s). */
  private takeStarted: number;
  private lastTakeSeconds: number | undefined;

  constructor(private readonly count: number, private readonly now: () => number) {
    this.takeStarted = now();
  }

  /** Marks the take now being made finished: its duration paces the time left of those after it. */
  finished(): void {
    const t = this.now();
    this.lastTakeSeconds = (t - this.takeStarted) / 1000;
    this.takeStarted = t;
  }

  /** Wraps `report` so that take `index`'s progress lands on the batch's bar. */
  reporter(index: number, report: (p: GenerateProgress) => void): (p: GenerateProgress) => void {
    if (this.count === 1) return report;
    return (p) => report(this.onBatch(p, index));
  }

  private onBatch(p: GenerateProgress, index: number): GenerateProgress {
    const after = this.count - index - 1;
    let etaSeconds: number | null = null;
    if (p.etaSeconds !== null) {
      // Before one take is done, a take is as long as this one looks like it will be.
      const perTake = this.lastTakeSeconds ?? (this.now() - this.takeStarted) / 1000 + p.etaSeconds;
      etaSeconds = p.etaSeconds + after * perTake;
    }
    return {
      ...p,
      fraction: (index + p.fraction) / this.count,
      message: `Take ${index + 1} of ${this.count} · ${p.message}`,
      etaSeconds,
      take: { index, count: this.count },
    };
  }
}
