import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * [Note: finding the app's own files] Shoebox runs from its TypeScript sources (tests), from the compiled
 * bundles in out/main/ and out/main/chunks/ (CLI, server, Electron), and from inside app.asar when packaged.
 * Each puts this module at another depth, so a path counted in `..` steps from it is right in one layout
 * only. The root is instead the nearest folder up that holds both package.json and resources/.
 */
function findAppRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'resources'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Shoebox's folder (package.json and resources/) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

let root: string | undefined;

/** The folder holding package.json, resources/ and out/. */
export function appRoot(): string {
  return (root ??= findAppRoot());
}

/**
 * A file that native code reads (sharp, ONNX Runtime, SQLite's dlopen) cannot sit inside Electron's app.asar:
 * in the packaged app such files live in app.asar.unpacked (electron-builder.yml `asarUnpack`), at the same
 * path otherwise. Elsewhere the path is unchanged.
 */
export function unpackedPath(file: string): string {
  return file.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
}

/** A file under resources/ (shipped with the app, unpacked from the asar archive). */
export function resourcePath(...parts: string[]): string {
  return unpackedPath(path.join(appRoot(), 'resources', ...parts));
}
