// Electron main process. Deliberately minimal and locked down: the renderer only ever shows our own
// bundled page, so everything else (navigation, popups, remote content, Node access) is refused.
// Does not import app/ yet: the core gets wired in through IPC when the desktop window lands.
import { app, BrowserWindow, session } from 'electron';
import path from 'node:path';

// Paths are relative to the built file (out/main/index.js), matching electron-vite's layout:
// out/preload/index.cjs and out/renderer/index.html. The preload is CommonJS because sandboxed
// preloads cannot be ES modules.
const here = import.meta.dirname;
const PRELOAD = path.join(here, '../preload/index.cjs');
const INDEX_HTML = path.join(here, '../renderer/index.html');

// Same policy as the <meta> in renderer/index.html. The header covers anything served over
// http(s) (e.g. a dev server); the meta tag covers file:// loads, which never carry headers.
const CSP =
  "default-src 'self'; img-src 'self' data: shoebox:; script-src 'self'; style-src 'self' 'unsafe-inline'";

let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false, // avoid a white flash; shown once the first paint is ready
    webPreferences: {
      preload: PRELOAD,
      additionalArguments: [`--shoebox-version=${app.getVersion()}`], // read by the preload
      contextIsolation: true, // preload and page get separate JS worlds; only contextBridge crosses
      sandbox: true, // renderer is an OS-sandboxed process with no Node
      nodeIntegration: false, // page scripts never see require/process
      webSecurity: true, // keep same-origin policy on
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(INDEX_HTML);
  return win;
}

// A second copy would fight the first over the same catalog database: hand focus to the first one.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Applied to every web contents, including any created later, so nothing can slip past.
  app.on('web-contents-created', (_event, contents) => {
    // The page must never navigate away from our bundle (a dropped file or a link would otherwise
    // replace the app with arbitrary content that still has the preload bridge).
    contents.on('will-navigate', (event) => event.preventDefault());
    // No popups or new windows (window.open, target=_blank): they would escape these settings.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
      });
    });
    mainWindow = createWindow();
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    // macOS keeps apps alive without windows; re-open one when the dock icon is clicked.
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
