import { mount } from 'svelte';
import App from './App.svelte';
import { connectBridge } from './lib/bridge-client';
import './app.css';

// In the app the preload provides the contract; in the browser demo the bridge does, and says how its link is.
const bridge = window.tray ? null : connectBridge(window.location);
const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
mount(App, { target, props: { tray: window.tray ?? bridge?.tray ?? null, link: bridge?.link ?? null } });
