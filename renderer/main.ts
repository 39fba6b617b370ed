import { mount } from 'svelte';
import App from './App.svelte';
import { connectBridge } from './lib/bridge-client';
import './app.css';

// In the app the preload provides the contract; in the browser demo the bridge does.
const tray = window.tray ?? connectBridge(window.location);
const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
mount(App, { target, props: { tray } });
