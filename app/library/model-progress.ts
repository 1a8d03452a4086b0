import type { ModelProgress } from '../api/contract.js';
import type { UseModelProgress } from '../core.js';

/** The install/switch steps of app/models, summarised as one progress bar's worth for the UI. */
export function describeModelProgress(p: UseModelProgress): Omit<ModelProgress, 'name'> {
  if (p.phase === 'download') {
    const fraction = p.totalBytes ? p.receivedBytes / p.totalBytes : null;
    return { phase: 'download', detail: `${p.file} (file ${p.fileIndex + 1} of ${p.fileCount})`, fraction, etaSeconds: p.etaSeconds, error: null };
  }
  if (p.phase === 'index') {
    return { phase: 'index', detail: `${p.done} of ${p.total} photos embedded with the new model`, fraction: p.total > 0 ? p.done / p.total : 1, etaSeconds: null, error: null };
  }
  return { phase: p.phase, detail: p.phase === 'self-check' ? 'checking that the model sees pictures as expected' : `${p.phase}ing files`, fraction: null, etaSeconds: null, error: null };
}
