// The page's entry: makes the page cross-origin isolated where it can (src/app/isolation.ts:
// the service worker adds COOP/COEP on hosts that send none, after at most one reload), then
// mounts the Svelte app. The service worker also keeps the app shell available offline after
// the first visit.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './app/App.svelte';
import { prepareIsolation } from './app/isolation';
import './app/styles.css';

const target = document.getElementById('app')!;

async function start(): Promise<void> {
  await prepareIsolation({
    // Updates are taken silently on the next load: the app has no server state to migrate.
    register: (failed) => void registerSW({ immediate: true, onRegisterError: failed }),
    onWait: () => {
      target.textContent = 'Getting Kinora ready to work offline…';
    },
  });
  target.textContent = '';
  mount(App, { target });
}

void start();
