import { describe, expect, it } from 'vitest';
import { loadModelPack } from '../../app/model/load-pack.js';
import { openSession, providerCandidates } from '../../app/model/providers.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

describe('execution providers', () => {
  it('tries the platform accelerator first and always ends with the CPU', () => {
    expect(providerCandidates('darwin')).toEqual(['coreml', 'cpu']);
    expect(providerCandidates('win32')).toEqual(['dml', 'cpu']);
    expect(providerCandidates('linux')).toEqual(['cuda', 'cpu']);
    expect(providerCandidates('linux', 'cpu')).toEqual(['cpu']);
  });

  it('falls back to the CPU with a warning when the accelerator cannot load, and reports it', async () => {
    const warnings: string[] = [];
    // No CUDA libraries on this machine (the install script that fetches them is disabled): a real failure.
    const { session, provider } = await openSession(loadModelPack(TINY_CLIP).text.path, {
      preferredProvider: 'cuda',
      onWarning: (m) => warnings.push(m),
    });
    await session.release();
    expect(provider).toBe('cpu');
    expect(warnings.join('\n')).toMatch(/cuda unavailable/);
  });
});
