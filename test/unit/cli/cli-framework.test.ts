import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../cli/commands';
import { defineCommand, type Command } from '../../../cli/framework/define-command';
import { commandUsage, parseCommandLine, runCli } from '../../../cli/framework/run-cli';

const ran: unknown[] = [];
const toy: Command[] = [
  defineCommand({
    name: 'campaign approve',
    summary: 'approve a plan',
    args: [{ name: 'incidentId', description: 'the incident' }],
    options: { plan: { type: 'string', placeholder: '<plannedAt>', description: 'pin the plan' } },
    target: 'operator',
    run: async (input) => {
      ran.push(input.args, input.options, input.target);
    },
  }),
  defineCommand({
    name: 'incident declare',
    summary: 'declare one',
    options: { description: { type: 'string', required: true, placeholder: '<text>', description: 'what happened' } },
    run: async () => 3,
  }),
];

function io() {
  const printed: string[] = [];
  const errors: string[] = [];
  return { printed, errors, io: { print: (l: string) => printed.push(l), error: (l: string) => errors.push(l), out: { write: () => true }, env: {} } };
}

describe('CLI framework', () => {
  it("parses a command's own arguments, options and the target flags", async () => {
    // Prepare
    ran.length = 0;
    const { io: cli } = io();

    // Act
    const code = await runCli(toy, ['campaign', 'approve', 'inc-1', '--plan', '2025-01-01T00:00:00Z', '--aws', '--stack', 'Other'], cli);

    // Assess
    expect(code).toBe(0);
    expect(ran).toEqual([{ incidentId: 'inc-1' }, { plan: '2025-01-01T00:00:00Z' }, { aws: true, stateFile: '.local/stack.json', stackName: 'Other' }]);
  });

  it('exits 2 with the command usage for an unknown option, a missing argument, an extra one or a missing required option', async () => {
    for (const argv of [
      ['campaign', 'approve', 'inc-1', '--by', 'me'],
      ['campaign', 'approve'],
      ['campaign', 'approve', 'inc-1', 'inc-2'],
      ['incident', 'declare'],
    ]) {
      // Prepare
      const { io: cli, errors } = io();

      // Act
      const code = await runCli(toy, argv, cli);

      // Assess
      expect(code, argv.join(' ')).toBe(2);
      expect(errors.join('\n'), argv.join(' ')).toContain(`Usage: npx tsx cli/main.ts ${argv.slice(0, 2).join(' ')}`);
    }
  });

  it('names the missing required option and the unexpected argument', () => {
    expect(() => parseCommandLine(toy[1]!, [])).toThrow('incident declare needs --description.');
    expect(() => parseCommandLine(toy[0]!, ['a', 'b'])).toThrow('unexpected: b');
  });

  it('prints help for every command from its own declaration, and exits 0', async () => {
    // Prepare
    const { io: cli, printed } = io();

    // Act
    const code = await runCli(toy, ['campaign', 'approve', '--help'], cli);

    // Assess
    expect(code).toBe(0);
    expect(printed[0]).toContain('Usage: npx tsx cli/main.ts campaign approve <incidentId> [--plan <plannedAt>]');
    expect(printed[0]).toContain('--aws');
  });

  it('lists the commands, and answers an unknown one with exit 2', async () => {
    // Prepare
    const listing = io();
    const unknown = io();
    const badSub = io();

    // Act
    await runCli(toy, ['help'], listing.io);
    const unknownCode = await runCli(toy, ['frobnicate'], unknown.io);
    const badSubCode = await runCli(toy, ['campaign', 'delete'], badSub.io);

    // Assess
    expect(listing.printed[0]).toMatch(/campaign approve <incidentId> +approve a plan/);
    expect(unknownCode).toBe(2);
    expect(unknown.errors[0]).toContain('Unknown command "frobnicate"');
    expect(badSubCode).toBe(2);
    expect(badSub.errors[0]).toContain('campaign takes:');
  });

  it("returns the command's own exit code", async () => {
    expect(await runCli(toy, ['incident', 'declare', '--description', 'x'], io().io)).toBe(3);
  });

  it('gives every registered command a usage that shows each option it parses', () => {
    for (const command of COMMANDS) {
      const usage = commandUsage(command);
      for (const name of Object.keys(command.options ?? {})) expect(usage, command.name).toContain(`--${name}`);
      for (const arg of command.args ?? []) expect(usage, command.name).toContain(arg.variadic ? `<${arg.name}…>` : `<${arg.name}>`);
      expect(usage).toContain('--help');
    }
  });

  it('gives a variadic last argument every value after the others', () => {
    // Prepare
    const resolve = COMMANDS.find((c) => c.name === 'notice resolve')!;

    // Act
    const parsed = parseCommandLine(resolve, ['evt#a', 'inc-1/ab']);

    // Assess
    expect(parsed).toMatchObject({ args: { id: ['evt#a', 'inc-1/ab'] } });
    expect(() => parseCommandLine(resolve, [])).toThrow('notice resolve needs <id>.');
  });

  it('accepts no --by on approve any more: the approver is the IAM caller', () => {
    const approve = COMMANDS.find((c) => c.name === 'campaign approve')!;
    expect(() => parseCommandLine(approve, ['inc-1', '--by', 'ops'])).toThrow("Unknown option '--by'");
  });
});
