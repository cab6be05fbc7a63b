import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';

/** The command list as Discord receives it (what ready.ts hashes and registers). */
const registered = JSON.parse(JSON.stringify(commands.map((command) => command.data))) as Record<
  string,
  unknown
>[];

type Named = {
  name: string;
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: Named[];
  choices?: Named[];
};

/** Every named thing in a command: the command, its subcommands, options and choices. */
function* namedParts(part: Named, path: string): Generator<{ path: string; part: Named }> {
  yield { path, part };
  for (const option of part.options ?? []) yield* namedParts(option, `${path} ${option.name}`);
  for (const choice of part.choices ?? []) yield { path: `${path} =${choice.name}`, part: choice };
}

const parts = registered.flatMap((command) => [
  ...namedParts(command as unknown as Named, String(command.name)),
]);

describe('the registered commands', () => {
  it('keep their names, descriptions and translations exactly (a change here changes what Discord shows)', () => {
    expect(registered).toMatchSnapshot();
  });

  it('fit Discord’s limits in every language: names of 1–32 lowercase characters, descriptions of 1–100', () => {
    expect(parts.length).toBeGreaterThan(20);
    for (const { path, part } of parts) {
      const isChoice = path.includes(' =');
      const names = [part.name, ...Object.values(part.name_localizations ?? {})];
      for (const name of names) {
        if (isChoice) expect(name.length, `${path}: ${name}`).toBeLessThanOrEqual(100);
        // Context-menu commands (type 3) may use spaces and capitals; slash names may not.
        else if (!('type' in part) || (part as { type?: number }).type !== 3) {
          expect(name, path).toMatch(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u);
          expect(name, path).toBe(name.toLowerCase());
        }
      }
      if (!isChoice && part.description !== undefined && part.description !== '') {
        for (const description of [part.description, ...Object.values(part.description_localizations ?? {})])
          expect(description.length, `${path}: ${description}`).toBeLessThanOrEqual(100);
      }
    }
  });

  it('offer zh-CN for every name and description of a slash command', () => {
    for (const { path, part } of parts) {
      if (path.includes(' =')) continue;
      if ((part as { type?: number }).type === 3) continue;
      expect(part.name_localizations?.['zh-CN'], `${path} name`).toBeTruthy();
      if (part.description)
        expect(part.description_localizations?.['zh-CN'], `${path} description`).toBeTruthy();
    }
  });
});
