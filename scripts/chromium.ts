// The one way every tool and test starts Chromium: Debian's /usr/bin/chromium unless CHROMIUM_PATH
// names another, with SwiftShader WebGPU switched on (the machines this runs on have no GPU) and the
// browser's own background traffic off (privacy tests count every request). Playwright's config,
// the command-line tools (generate, eval, bench, detect) and the specs that launch a browser of
// their own all come here.
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from '@playwright/test';

export const CHROMIUM_EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The arguments without WebGPU: Chromium on Linux then has navigator.gpu but gives no adapter. */
export const CHROMIUM_ARGS_WITHOUT_WEBGPU = CHROMIUM_ARGS.filter((a) => !/webgpu|Vulkan|swiftshader/i.test(a));

export interface ChromiumOptions extends Pick<LaunchOptions, 'headless'> {
  /** Start it as a browser with no usable GPU adapter (the wasm engine's path). */
  withoutWebGpu?: boolean;
}

function launchOptions(options: ChromiumOptions): LaunchOptions {
  return { executablePath: CHROMIUM_EXECUTABLE, args: options.withoutWebGpu ? CHROMIUM_ARGS_WITHOUT_WEBGPU : CHROMIUM_ARGS, headless: options.headless ?? true };
}

export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions(options));
}

/** A browser with a profile on disk (what installing the app or a warm second start needs). */
export function launchChromiumWithProfile(profile: string, options: ChromiumOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, launchOptions(options));
}
