// A new version of the site never interrupts a video being made (issue 24, defect 1). The service
// worker of a new build waits (src/sw.ts takes over only when asked); vite-plugin-pwa ('prompt')
// tells this page when one waits and when one has taken control of it. The studio offers it
// ("A new version is ready — reload") only while no generation runs in this tab, and this tab
// reloads for it only when the person accepted here or nothing is being made: when another tab
// accepts mid-generation, this one keeps making its video and offers the reload afterwards.
import { derived, get, writable, type Readable } from 'svelte/store';
import type * as Comlink from 'comlink';
import type { KinoraWorkerApi } from '../worker/api';

export interface SiteUpdateActions {
  /** Lets the waiting service worker take over (vite-plugin-pwa's updateSW). */
  activateWaiting(): void;
  reload(): void;
}

/** 'waiting': a new version is installed, the old one still serves. 'in-control': the new one serves this page, which still runs the old code. */
type NewVersion = 'none' | 'waiting' | 'in-control';

export class SiteUpdate {
  private readonly newVersion = writable<NewVersion>('none');
  private readonly generations = writable(0);
  private acceptedHere = false;
  /** True while a new version can be offered: there is one, and nothing is being made. */
  readonly offered: Readable<boolean> = derived([this.newVersion, this.generations], ([version, running]) => version !== 'none' && running === 0);

  constructor(private readonly actions: SiteUpdateActions) {}

  /** A new version is installed and waits (vite-plugin-pwa's onNeedRefresh). */
  newVersionWaiting(): void {
    this.newVersion.update((v) => (v === 'none' ? 'waiting' : v));
  }

  /** A new version took control of this page (onNeedReload): accepted here, or in another tab. */
  newVersionInControl(): void {
    this.newVersion.set('in-control');
    if (this.acceptedHere && this.idle()) this.actions.reload();
  }

  /** Marks a generation as running until the returned function is called. */
  generationStarted(): () => void {
    this.generations.update((n) => n + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.generations.update((n) => n - 1);
    };
  }

  /** The person chose to reload into the new version. */
  accept(): void {
    if (!this.idle()) return; // the offer is not shown while a video is made
    this.acceptedHere = true;
    if (get(this.newVersion) === 'in-control') this.actions.reload();
    else this.actions.activateWaiting();
  }

  private idle(): boolean {
    return get(this.generations) === 0;
  }
}

/**
 * The worker's API with every generate() marked as running while it runs: the studio's and the
 * automation door's alike, so no caller can forget to hold the update back.
 */
export function withGenerationsMarked(api: Comlink.Remote<KinoraWorkerApi>, update: SiteUpdate): Comlink.Remote<KinoraWorkerApi> {
  const generate = async (...args: Parameters<Comlink.Remote<KinoraWorkerApi>['generate']>) => {
    const ended = update.generationStarted();
    try {
      return await api.generate(...args);
    } finally {
      ended();
    }
  };
  // A Proxy rather than a copy: a Comlink remote has no own properties to copy, it answers any name.
  return new Proxy(api, { get: (target, name) => (name === 'generate' ? generate : target[name as keyof typeof target]) });
}
