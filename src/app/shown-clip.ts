// A video the player shows: fresh from the worker, or reopened from the gallery (without run facts).
import type { GenerateResult } from '../worker/api';

export type ShownClip = Pick<GenerateResult, 'video' | 'width' | 'height' | 'frameCount' | 'fps' | 'settings'> &
  Partial<Pick<GenerateResult, 'elapsedMs' | 'unknownWords' | 'backend' | 'contentCredentials'>> & {
    /** Set when the video came from a backup: its credentials were signed where it was made, maybe not here. */
    restoredAt?: string;
  };
