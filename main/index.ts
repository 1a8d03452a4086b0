// Electron main process: windows, menu, the media protocol and the OS integrations, nothing else. The core
// (catalog, model, watcher) runs in a utility process ([Note: core in a utility process]); the window talks to
// it over its own MessagePort. Locked down: our bundled page only, no Node in the page, no navigation, no popups.
import { app, BrowserWindow, Menu, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MEDIA_SIZES, type MediaSize } from '../app/library/media.js';
import { defaultLibraryDir } from '../app/library-paths.js';
import { contentSecurityPolicy } from '../app/server/csp.js';
import { folderToShow } from '../app/util/folder-to-show.js';
import { CoreClient } from './core-client.js';
import { applicationMenu } from './menu.js';

// Paths relative to the built file (out/main/index.js), electron-vite's layout. The preload is CommonJS
// because sandboxed preloads cannot be ES modules.
const here = import.meta.dirname;
const PRELOAD = path.join(here, '../preload/index.cjs');
const INDEX_HTML = path.join(here, '../renderer/index.html');
const MEDIA_SCHEME = 'shoebox-media';
const CSP = contentSecurityPolicy([]).replace("img-src 'self' data: blob:", `img-src 'self' data: blob: ${MEDIA_SCHEME}:`);

// Before `ready`: the media scheme behaves like a standard secure origin, so <img> can load from it under the CSP.
protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | null = null;
let core: CoreClient | null = null;

function createWindow(client: CoreClient): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false, // no white flash; shown once the first paint is ready
    title: 'Shoebox',
    webPreferences: {
      preload: PRELOAD,
      additionalArguments: [`--shoebox-version=${app.getVersion()}`],
      contextIsolation: true, // preload and page get separate JS worlds; only contextBridge crosses
      sandbox: true, // the renderer is an OS-sandboxed process with no Node
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Every load (first start, reload) gets a fresh port: the page asks for the API only once it has loaded.
  win.webContents.on('did-finish-load', () => client.connect(win.webContents));
  void win.loadFile(INDEX_HTML);
  return win;
}

/** Only photos the catalog knows resolve ([Note: media only from the catalog]); anything else is a 404. */
async function serveMedia(request: Request, client: CoreClient): Promise<Response> {
  const match = /^shoebox-media:\/\/photo\/(\d+)\/([a-z]+)$/.exec(request.url);
  if (!match || !(MEDIA_SIZES as readonly string[]).includes(match[2]!)) return new Response('not found', { status: 404 });
  const media = await client.media(Number(match[1]), match[2] as MediaSize);
  if (!media) return new Response('not found', { status: 404 });
  const file = await net.fetch(pathToFileURL(media.file).toString());
  return new Response(file.body, { headers: { 'Content-Type': media.contentType } });
}

function isPhotoId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

// A second copy would fight the first over the same catalog: hand focus to the first one.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    // Never navigate away from our bundle: a dropped file or a link would otherwise replace the app.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    // The same variables the CLI reads, so a test or a power user can point the app at another library/model.
    const client = new CoreClient(process.env['SHOEBOX_LIBRARY'] ?? defaultLibraryDir(), process.env['SHOEBOX_MODEL']);
    core = client;
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    protocol.handle(MEDIA_SCHEME, (request) => serveMedia(request, client));

    // IPC inputs are checked here: only a photo id crosses, and the path is looked up in the catalog.
    ipcMain.handle('shoebox:show-in-folder', async (_event, id: unknown) => {
      if (!isPhotoId(id)) throw new Error('show-in-folder takes a photo id');
      const file = await client.photoPath(id);
      if (!file) return;
      // A name that is not UTF-8 cannot be passed as a string: its folder is opened instead (see folderToShow).
      const target = folderToShow(file);
      if ('select' in target) shell.showItemInFolder(target.select);
      else await shell.openPath(target.open);
    });
    ipcMain.handle('shoebox:choose-folder', async () => {
      const result = await dialog.showOpenDialog({ properties: ['openDirectory'], title: 'Add a photo folder' });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    });

    Menu.setApplicationMenu(applicationMenu());
    mainWindow = createWindow(client);
    mainWindow.on('closed', () => (mainWindow = null));
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(client);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quitting waits for the core to close the catalog (a write in flight finishes, nothing is cut half way),
  // then quits for real; the core client bounds the wait.
  let coreStopped = false;
  app.on('will-quit', (event) => {
    if (!core || coreStopped) return;
    event.preventDefault();
    void core.stop().then(() => {
      coreStopped = true;
      app.quit();
    });
  });
}
