import { spawnTs } from './kie-remote.js';

/** Runs a benchmark child to its end and returns the `result` it sent over IPC. */
export async function runChild<T>(file: string, env: Record<string, string | undefined>): Promise<T> {
  const child = spawnTs(file, [], { ...process.env, ...env });
  let result: T | undefined;
  child.on('message', (message: { result?: T }) => {
    if (message.result !== undefined) result = message.result;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (result === undefined) throw new Error(`${file} ended (${code}) without a result`);
  return result;
}
