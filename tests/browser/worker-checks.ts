// The in-browser test pages run some checks in a module Web Worker (where the studio's video code
// runs: no DOM). One protocol for every page: the page posts {name, args}; the worker runs
// checks[name](args) and posts {result} or {error}.
type Check = (args: never) => Promise<unknown>;

/** Worker side: answers each {name, args} message with the check's {result}, or its {error}. */
export function serveChecks(checks: Record<string, Check>): void {
  self.addEventListener('message', async (event: MessageEvent<{ name: string; args: never }>) => {
    try {
      self.postMessage({ result: await checks[event.data.name](event.data.args) });
    } catch (err) {
      self.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  });
}

/** Page side: a function that runs one check in a module worker started (once) from `script`. */
export function workerRunner<C extends Record<string, Check>>(script: URL) {
  let worker: Worker | null = null;
  return function inWorker<K extends keyof C & string>(name: K, args: Parameters<C[K]>[0]): ReturnType<C[K]> {
    worker ??= new Worker(script, { type: 'module' });
    const w = worker;
    return new Promise((resolve, reject) => {
      const settle = (event: MessageEvent | ErrorEvent) => {
        w.removeEventListener('message', settle);
        w.removeEventListener('error', settle);
        if (event instanceof ErrorEvent) reject(new Error(event.message));
        else if (event.data?.error) reject(new Error(event.data.error));
        else resolve(event.data.result);
      };
      w.addEventListener('message', settle);
      w.addEventListener('error', settle);
      w.postMessage({ name, args });
    }) as ReturnType<C[K]>;
  };
}
