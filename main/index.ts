/** Electron entry point. Everything Electron-specific lives in main/shell; this file only starts it. */
import './shell/electron-main';
