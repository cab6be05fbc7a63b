import { createLogger } from '../../../src/app/logger.js';
import { KieClient, type KieTask } from '../../../src/services/kie/index.js';
import { makePng } from '../../support/images.js';
import { type Receiver, startReceiver } from '../../support/kie/receiver.js';
import { type KieStandIn, startKieStandIn } from '../../support/kie/stand-in.js';

/** The Kie stand-in (tasks end after 20 ms), a host serving a 300 px PNG, and the real Kie client. */
export interface ModelsStandIn {
  kie: KieStandIn;
  host: Receiver;
  client: KieClient;
  /** The PNG's URL, for the models' image fields. */
  imageUrl: string;
}

export async function startModelsStandIn(keys: Record<string, number>): Promise<ModelsStandIn> {
  const kie = await startKieStandIn({
    keys,
    script: { steps: [{ state: 'generating', ms: 20 }], outcome: { kind: 'success' } },
  });
  const host = await startReceiver();
  host.serve('/cat.png', makePng(300, 300), 'image/png');
  const client = new KieClient({
    apiUrl: kie.url,
    uploadUrl: kie.url,
    timeoutMs: 2000,
    logger: createLogger('silent'),
    retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 20 },
  });
  return { kie, host, client, imageUrl: `${host.url}/cat.png` };
}

export async function stopModelsStandIn(world: Omit<ModelsStandIn, 'imageUrl'>): Promise<void> {
  await world.client.close();
  await world.kie.close();
  await world.host.close();
}

/** The task once it ended, as recordInfo tells it. */
export async function finishedTask(client: KieClient, key: string, taskId: string): Promise<KieTask> {
  for (let i = 0; i < 100; i += 1) {
    const task = await client.getTask(key, taskId);
    if (task.state === 'success' || task.state === 'fail') return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskId} did not finish`);
}
