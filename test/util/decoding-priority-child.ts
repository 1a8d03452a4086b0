/**
 * Child of decoding-priority.test.ts: indexes the folder it is given with tiny-clip, then prints, as JSON, the
 * nice value of every thread of this process by its name. In a process of its own because lowered threads
 * stay lowered (see [Note: decoding yields to inference]).
 */
import fs from 'node:fs';
import os from 'node:os';
import { Core } from '../../app/core.js';

const [libraryDir, photos, modelDir] = process.argv.slice(2);
const niceByThread = () =>
  fs.readdirSync('/proc/self/task').map((tid) => ({
    name: fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(),
    nice: os.getPriority(Number(tid)),
  }));
const core = Core.open({ libraryDir: libraryDir!, modelDir: modelDir! });
const report = await core.index([photos!]);
const after = niceByThread();
await core.close();
console.log(JSON.stringify({ indexed: report.indexed, failed: report.failed.length, threads: after }));
