// The soak: `npm run bench -- --soak 100` makes that many videos in a row in ONE page through the
// automation door, as a long session of a visitor would, and every 10 videos prints what must stay
// flat: the generation worker's JS heap (read over the DevTools protocol after a forced GC), the
// page's JS heap, the GPU buffer pool the WebGPU engine holds after each video (bytes held and
// still handed out; the wasm engine keeps none),
// this origin's storage use (IndexedDB: the model cache; the door keeps no gallery entries) and
// the time per video. A figure, not a test: nothing here asserts. Flags: --soak N,
// --soak-backend auto|webgpu|wasm (default wasm: SwiftShader WebGPU takes minutes a video),
// --soak-model ID (default tiny), --soak-seconds S (default 1).
import type { CDPSession, Page } from '@playwright/test';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';

export interface SoakFlags {
  videos: number;
  backend: 'auto' | 'webgpu' | 'wasm';
  modelId: string;
  seconds: number;
}

/** Takes the --soak flags out of `args`; null when there is no --soak. */
export function takeSoakFlags(args: string[]): { flags: SoakFlags | null; rest: string[] } {
  const flags: SoakFlags = { videos: 0, backend: 'wasm', modelId: 'tiny', seconds: 1 };
  const rest: string[] = [];
  let soak = false;
  for (let i = 0; i < args.length; i++) {
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${args[i - 1]} needs a value`);
      return v;
    };
    if (args[i] === '--soak') {
      soak = true;
      flags.videos = Number(value());
      if (!Number.isInteger(flags.videos) || flags.videos < 1) throw new Error('--soak takes a whole number of videos, such as --soak 100.');
    } else if (args[i] === '--soak-backend') flags.backend = value() as SoakFlags['backend'];
    else if (args[i] === '--soak-model') flags.modelId = value();
    else if (args[i] === '--soak-seconds') flags.seconds = Number(value());
    else rest.push(args[i]);
  }
  return { flags: soak ? flags : null, rest };
}

/** Sends one DevTools command to the page's dedicated worker (attached without flattening) and waits for its answer. */
async function workerCommand<T>(cdp: CDPSession, sessionId: string, method: string, params: object = {}): Promise<T> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise<T>((resolve, reject) => {
    const onMessage = (event: { sessionId: string; message: string }) => {
      const reply = JSON.parse(event.message) as { id?: number; result?: T; error?: { message: string } };
      if (event.sessionId !== sessionId || reply.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      if (reply.error) reject(new Error(reply.error.message));
      else resolve(reply.result as T);
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
}

/** A session on the page's generation worker, for its heap. */
async function attachToWorker(page: Page): Promise<{ cdp: CDPSession; sessionId: string }> {
  const cdp = await page.context().newCDPSession(page);
  const attached = new Promise<string>((resolve) =>
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
      if (e.targetInfo.type === 'worker') resolve(e.sessionId);
    }),
  );
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return { cdp, sessionId: await attached };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export async function runSoak(flags: SoakFlags): Promise<void> {
  const site = await openSite();
  try {
    const { cdp, sessionId } = await attachToWorker(site.page);
    const pageCdp = await site.page.context().newCDPSession(site.page);
    console.log(`Soak: ${flags.videos} videos of ${flags.seconds} s in one page (model ${flags.modelId}, engine ${flags.backend}).`);
    console.log('| videos | worker JS heap | page JS heap | GPU pool | storage (IndexedDB) | s per video (last 10) |');
    console.log('|---|---|---|---|---|---|');
    let windowStart = Date.now();
    let windowCount = 0;
    for (let n = 1; n <= flags.videos; n++) {
      const made = await generateInPage(site.page, { prompt: 'a red ball bounces on the grass', seconds: flags.seconds, aspect: '1:1', seed: n, modelId: flags.modelId, backend: flags.backend });
      windowCount++;
      if (n % 10 !== 0 && n !== flags.videos) continue;
      const perVideo = (Date.now() - windowStart) / 1000 / windowCount;
      await workerCommand(cdp, sessionId, 'HeapProfiler.collectGarbage');
      const worker = await workerCommand<{ usedSize: number }>(cdp, sessionId, 'Runtime.getHeapUsage');
      await pageCdp.send('HeapProfiler.collectGarbage');
      const page = await pageCdp.send('Runtime.getHeapUsage');
      const storage = await site.page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
      const held = made.backend.gpuPool;
      const pool = held ? `${mib(held.allocatedBytes)} (${mib(held.inUseBytes)} in use)` : 'none (wasm engine)';
      console.log(`| ${n} | ${mib(worker.usedSize)} | ${mib(page.usedSize)} | ${pool} | ${mib(storage)} | ${perVideo.toFixed(2)} |`);
      windowStart = Date.now();
      windowCount = 0;
    }
  } finally {
    await site.close();
  }
}
