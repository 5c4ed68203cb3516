// Turns what a generation reports (model loading, each pass's text, steps and decode, the file's
// end) into the page's progress: where on one bar each phase sits, the sentence for the status
// line, and the time left. Pure: it reads a clock and returns progress; the service sends it.
import type { FrameProgress } from '../model/generate-frames';
import type { ModelFileSource } from '../model/loader/load-model';
import type { GenerateProgress, GenerationPhase, StreamedFrames } from './api';

// Where each phase sits on the overall progress bar.
const PHASE_SPAN: Record<GenerationPhase, [number, number]> = {
  model: [0, 0.1],
  text: [0.1, 0.12],
  denoise: [0.12, 0.9],
  decode: [0.9, 0.95],
  encode: [0.95, 1],
};

/** One run of the model among the passes of a request (a storyboard's shots, a loop's bridge). */
export interface PassPosition {
  index: number;
  count: number;
  /** Named in the status line when there are several passes. */
  label?: string;
}

export interface ModelLoadReport {
  loaded: number;
  total: number;
  /** Where the file being loaded comes from: this device's cache, or the network. */
  source: ModelFileSource;
}

type Details = Omit<GenerateProgress, 'phase' | 'fraction'>;

export class ProgressMeter {
  private last: GenerateProgress | undefined;
  /** When the first pass began reading its prompt: the ETA's clock starts there. */
  private denoisingSince: number | undefined;
  /** Work units (one per step, one per decode) of the passes already finished. */
  private unitsBefore = 0;
  private pass: { index: number; units: number } | undefined;

  constructor(private readonly now: () => number) {}

  /** The progress most recently returned. */
  get latest(): GenerateProgress | undefined {
    return this.last;
  }

  /** The model is being opened; with `load`, its files are arriving. */
  loading(load?: ModelLoadReport): GenerateProgress {
    if (!load) return this.at('model', 0, { message: 'Loading the model…', step: 0, steps: 0, etaSeconds: null });
    const message = load.source === 'cache' ? 'Loading the model from this device…' : 'Downloading the model (once; it is kept for next time)…';
    return this.at('model', load.total ? load.loaded / load.total : 0, { message, step: 0, steps: 0, etaSeconds: null, download: { ...load } });
  }

  /** What a pass of generateFrames reports, on the bar of all passes. */
  frames(p: FrameProgress, pass: PassPosition): GenerateProgress {
    this.enterPass(pass.index, p.steps);
    const prefix = pass.label && pass.count > 1 ? `${pass.label} · ` : '';
    // Progress over all passes: this pass's share of the denoising span.
    const done = (pass.index + (p.steps ? p.step / p.steps : 0)) / pass.count;
    const first = pass.index === 0;
    const last = pass.index === pass.count - 1;
    if (p.phase === 'text') {
      this.denoisingSince ??= this.now();
      // Between passes the bar stays in the denoising span rather than going back.
      return this.at(first ? 'text' : 'denoise', first ? 0 : done, { message: `${prefix}Reading the prompt…`, step: 0, steps: p.steps, etaSeconds: null });
    }
    if (p.phase === 'denoise') {
      const message = `${prefix}Denoising, step ${p.step} of ${p.steps}`;
      return this.at('denoise', done, { message, step: p.step, steps: p.steps, etaSeconds: this.eta(p, pass), preview: p.preview });
    }
    return this.at(last ? 'decode' : 'denoise', last ? 0 : done, { message: `${prefix}Decoding frames…`, step: p.steps, steps: p.steps, etaSeconds: null });
  }

  /** The frames written so far, riding on the latest progress (without its preview, which stays as it was). */
  withFrames(ready: StreamedFrames): GenerateProgress {
    const { preview: _preview, ...now } = this.last ?? this.loading();
    return { ...now, ready };
  }

  finishing(steps: number): GenerateProgress {
    return this.at('encode', 0, { message: 'Finishing the video file…', step: steps, steps, etaSeconds: null });
  }

  done(steps: number): GenerateProgress {
    return this.at('encode', 1, { message: 'Done', step: steps, steps, etaSeconds: 0 });
  }

  /**
   * Seconds left: the time per unit of work measured over every pass so far (a step, or a window's
   * decode, which costs about one step), times the units left, counting each later pass as this
   * one. Measured over all passes, not restarted per pass, so a pass's prompt reading does not
   * make the estimate jump up at each new pass.
   */
  private eta(p: FrameProgress, pass: PassPosition): number {
    const unitsDone = this.unitsBefore + p.step;
    const unitsLeft = p.steps - p.step + 1 + (pass.count - pass.index - 1) * (p.steps + 1);
    const perUnit = (this.now() - (this.denoisingSince ?? this.now())) / Math.max(1, unitsDone);
    return (unitsLeft * perUnit) / 1000;
  }

  private enterPass(index: number, steps: number): void {
    if (this.pass && this.pass.index !== index) this.unitsBefore += this.pass.units;
    this.pass = { index, units: steps + 1 };
  }

  private at(phase: GenerationPhase, within: number, details: Details): GenerateProgress {
    const [a, b] = PHASE_SPAN[phase];
    this.last = { phase, fraction: a + (b - a) * Math.min(1, Math.max(0, within)), ...details };
    return this.last;
  }
}
