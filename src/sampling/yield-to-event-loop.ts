// Lets queued messages (a Cancel from the page) run between denoising steps. A step on the
// wasm backend resolves through microtasks only, which never give the event loop a turn.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
