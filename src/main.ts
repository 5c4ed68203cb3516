// The page's entry: makes the page cross-origin isolated where it can (src/app/isolation.ts:
// the service worker adds COOP/COEP on hosts that send none, after at most one reload), then
// mounts the Svelte app. The service worker also keeps the app shell available offline after
// the first visit. A new version of the site waits until the page accepts it (site-update.ts):
// it is offered when no video is being made, so an update never interrupts a generation.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './app/App.svelte';
import { prepareIsolation } from './app/isolation';
import { SiteUpdate } from './app/site-update';
import './app/styles.css';

const target = document.getElementById('app')!;

async function start(): Promise<void> {
  let activateWaiting: ((reloadPage?: boolean) => Promise<void>) | undefined;
  const update = new SiteUpdate({ activateWaiting: () => void activateWaiting?.(true), reload: () => location.reload() });
  await prepareIsolation({
    register: (failed) => {
      activateWaiting = registerSW({
        immediate: true,
        onRegisterError: failed,
        onNeedRefresh: () => update.newVersionWaiting(),
        // Given, so vite-plugin-pwa does not reload by itself: another tab's accepting must not end this tab's video.
        onNeedReload: () => update.newVersionInControl(),
      });
    },
    onWait: () => {
      target.textContent = 'Getting Kinora ready to work offline…';
    },
  });
  target.textContent = '';
  mount(App, { target, props: { update } });
}

void start();
