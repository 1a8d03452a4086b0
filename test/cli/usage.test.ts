import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../app/cli/commands.js';
import { USAGE } from '../../app/cli/usage.js';
import { runCli } from '../helpers/cli.js';

describe('CLI usage lines (kept apart from the commands so --help starts fast)', () => {
  it('lists exactly the commands there are, each with its own usage line', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(Object.keys(USAGE).sort());
    for (const [name, command] of Object.entries(COMMANDS)) expect(command.usage).toBe(USAGE[name as keyof typeof USAGE]);
  });

  it('prints --help, and a command\'s own --help, from the compiled bundle', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const usage of Object.values(USAGE)) expect(help.stdout).toContain(usage);
    const search = runCli(['search', '--help']);
    expect(search.stdout.trim()).toBe(`usage: shoebox ${USAGE.search}`);
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
