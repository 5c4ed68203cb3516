// The page's entry: mounts the Svelte app and registers the service worker that keeps
// the app shell available offline after the first visit.
import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './app/App.svelte';
import './app/styles.css';

mount(App, { target: document.getElementById('app')! });

// Updates are taken silently on the next load: the app has no server state to migrate.
registerSW({ immediate: true });
