// Makes a video in an open Kinora page through its automation door (src/app/automation.ts), from
// Node: used by the command-line tools and the end-to-end tests, so they drive the page one way.
import type { Page } from '@playwright/test';
import type { AutomationRequest, AutomationResult } from '../src/app/automation';

type ProgressLine = { message: string; fraction: number; etaSeconds: number | null };

/**
 * `progressFunction` names a function exposed to the page (page.exposeFunction) that receives
 * every progress event; without it no progress crosses back to Node.
 */
export function generateInPage(page: Page, request: AutomationRequest, progressFunction?: string): Promise<AutomationResult> {
  return page.evaluate(
    ({ request, progressFunction }) => {
      const g = globalThis as unknown as {
        kinora: { generate(r: unknown, p?: (x: ProgressLine) => void): Promise<AutomationResult> };
      } & Record<string, (p: ProgressLine) => void>;
      return g.kinora.generate(request, progressFunction ? (p) => g[progressFunction](p) : undefined);
    },
    { request, progressFunction },
  );
}

/** `count` takes of `request` with consecutive seeds, through the page's door (window.kinora.generateTakes). */
export function takesInPage(page: Page, request: AutomationRequest, count: number, progressFunction?: string): Promise<AutomationResult[]> {
  return page.evaluate(
    ({ request, count, progressFunction }) => {
      const g = globalThis as unknown as {
        kinora: { generateTakes(r: unknown, n: number, p?: (x: ProgressLine) => void): Promise<AutomationResult[]> };
      } & Record<string, (p: ProgressLine) => void>;
      return g.kinora.generateTakes(request, count, progressFunction ? (p) => g[progressFunction](p) : undefined);
    },
    { request, count, progressFunction },
  );
}
