import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../helpers/cli.js';
import { readDynamicSymbols } from '../helpers/elf-symbols.js';
import type { ProbeReport } from './native-addons-probe.js';

const PROBE = path.join(ROOT_DIR, 'test', 'architecture', 'native-addons-probe.ts');
const NODE_MODULES = path.join(ROOT_DIR, 'node_modules') + path.sep;
/** A mangled C++ name from namespace v8 or node (`_ZN2v87Isolate…`, `_ZNK2v85Value…`, `_ZTVN4node…`, template args). */
const V8_OR_NODE_CXX = /^_Z.*N[rVKRO]*(?:2v8|4node)\d/;
/** The registration of an addon built against node.h (NODE_MODULE): tied to one Node ABI version. */
const NODE_ABI_REGISTRATION = /^node_register_module_v\d+$/;

const linux = process.platform === 'linux';

/**
 * [Note: Node-API addons only] Shoebox runs the same node_modules under Node (CLI, server, tests) and under
 * Electron (the core's utility process) without rebuilding anything for Electron. That holds only while every
 * native addon is Node-API: its ABI is the same in every Node and Electron. An addon built against V8's or
 * Node's C++ API (NODE_MODULE, nan) loads in exactly one ABI and crashes or refuses to load in the other, which
 * is what better-sqlite3 was before version 13. So: what loads in a real core must register through Node-API and
 * need no V8/Node C++ symbol from the process. The probe reports what really loaded ([/proc/self/maps]).
 */
describe.skipIf(!linux)(`native code loaded by a running core${linux ? '' : ' — SKIPPED: reads /proc/self/maps and ELF files (Linux only)'}`, () => {
  let report: ProbeReport;
  let fromPackages: string[];

  beforeAll(() => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', PROBE], { cwd: ROOT_DIR, encoding: 'utf8', timeout: 120_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('PROBE '));
    if (run.status !== 0 || !line) throw new Error(`probe failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
    report = JSON.parse(line.slice('PROBE '.length)) as ProbeReport;
    // The probe really did decode, encode and search.
    expect(report).toMatchObject({ photoCount: 2, searchResults: 1 });
    fromPackages = report.sharedObjects.filter((f) => f.startsWith(NODE_MODULES));
    console.log(`mapped shared objects: ${report.sharedObjects.length}, from node_modules: ${fromPackages.map((f) => path.relative(NODE_MODULES, f)).join(', ')}`);
  });

  it('reads in the node binary itself both kinds of symbol an addon may import (so the checks below can fail)', () => {
    const { exports } = readDynamicSymbols(process.execPath);
    const napi = exports.filter((s) => s.startsWith('napi_'));
    const cxx = exports.filter((s) => V8_OR_NODE_CXX.test(s));
    console.log(`${process.execPath} (Node ${process.versions.node}): ${exports.length} exports, ${napi.length} Node-API, ${cxx.length} V8/Node C++`);
    expect(napi).toContain('napi_create_object');
    expect(cxx).toContain('_ZN2v87Isolate10GetCurrentEv');
  });

  it('every loaded addon (*.node) is Node-API: registers through it, imports no V8 or Node C++ symbol', () => {
    const addons = report.sharedObjects.filter((f) => f.endsWith('.node'));
    for (const name of ['better-sqlite3', 'sharp', 'onnxruntime']) expect(addons.some((f) => f.includes(name)), `${name} addon loaded`).toBe(true);
    for (const addon of addons) {
      const { exports, imports } = readDynamicSymbols(addon);
      const cxx = imports.filter((s) => V8_OR_NODE_CXX.test(s));
      const napiImports = imports.filter((s) => s.startsWith('napi_') || s.startsWith('node_api_'));
      const versioned = exports.includes('node_api_module_get_api_version_v1');
      console.log(
        `${path.relative(NODE_MODULES, addon)}: ${exports.length} exports checked (napi_register_module_v1 ${exports.includes('napi_register_module_v1') ? 'yes' : 'no'}, ` +
          `node_api_module_get_api_version_v1 ${versioned ? 'yes' : 'no'}), ${imports.length} imports counted (${napiImports.length} Node-API, ${cxx.length} V8/Node C++)`,
      );
      // NAPI_MODULE_INIT exports the entry point; the older NAPI_MODULE registers from a constructor instead.
      expect(exports.includes('napi_register_module_v1') || imports.includes('napi_module_register'), `${addon} registers through Node-API`).toBe(true);
      expect(exports.filter((s) => NODE_ABI_REGISTRATION.test(s)), addon).toEqual([]);
      expect(imports.filter((s) => s === 'node_module_register'), addon).toEqual([]);
      expect(cxx, addon).toEqual([]);
      expect(napiImports.length, addon).toBeGreaterThan(0);
    }
  });

  it("sqlite-vec's vec0 is a SQLite extension, not a Node addon", () => {
    const vec0 = fromPackages.filter((f) => /sqlite-vec.*\/vec0\.so$/.test(f));
    expect(vec0, 'vec0.so loaded').toHaveLength(1);
    const { exports, imports } = readDynamicSymbols(vec0[0]!);
    console.log(`${path.relative(NODE_MODULES, vec0[0]!)}: ${exports.length} exports checked (sqlite3_vec_init yes), ${imports.length} imports counted`);
    expect(exports).toContain('sqlite3_vec_init');
    expect(exports.filter((s) => s.startsWith('napi_') || NODE_ABI_REGISTRATION.test(s))).toEqual([]);
    expect(imports.filter((s) => s.startsWith('napi_') || V8_OR_NODE_CXX.test(s))).toEqual([]);
  });

  it('the other libraries the packages bring (libvips, ONNX Runtime) need nothing from Node or V8 either', () => {
    const libraries = fromPackages.filter((f) => !f.endsWith('.node') && !/\/vec0\.so$/.test(f));
    expect(libraries.length).toBeGreaterThan(0);
    for (const library of libraries) {
      const { exports, imports } = readDynamicSymbols(library);
      console.log(`${path.relative(NODE_MODULES, library)}: ${exports.length} exports, ${imports.length} imports counted`);
      expect(imports.filter((s) => s.startsWith('napi_') || V8_OR_NODE_CXX.test(s)), library).toEqual([]);
    }
  });
});
