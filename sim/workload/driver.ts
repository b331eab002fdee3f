// Drives the client processes: each client, when idle, thinks for a seeded while and then invokes
// the next operation of the mix; from `finalReadsAtUs` on, the clients instead share out the final
// reads (every key once) that close the history. Every invocation and completion is recorded.

import type { NodeId } from '../../src/host/contract';
import { describeOp, type CacheOp } from '../../src/cache/commands';
import type { ClientCompletion, ClientInvoke } from '../../src/client/client';
import type { Rng } from '../rng/streams';
import type { World } from '../world';
import type { OperationGenerator } from './generator';
import type { HistoryRecorder } from './history';

export interface DriverOptions {
  /** Mean think time between two operations of one client (exponential). */
  readonly thinkUsMean: number;
  /** After this true time clients do only the final reads. */
  readonly finalReadsAtUs: number;
}

/** Any world whose environment requests include client invocations. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ClientWorld = World<any, ClientInvoke | any, any>;

export function installWorkload(world: ClientWorld, clients: readonly NodeId[], generator: OperationGenerator, recorder: HistoryRecorder, rng: Rng, options: DriverOptions): void {
  let nextOpId = 1;
  const finalReads = generator.finalReads();
  const invoke = (client: NodeId): void => {
    let op: CacheOp | undefined;
    if (world.now >= options.finalReadsAtUs) {
      op = finalReads.shift();
      if (op === undefined) return; // this client is done
    } else {
      op = generator.next(client);
    }
    const opId = nextOpId++;
    const text = describeOp(op);
    recorder.invoke(client, op, text, world.now);
    const accepted = world.external(client, { opId, op }, { op: text, opId });
    if (!accepted) throw new Error(`client ${client} is not up`); // clients never crash: a bug in the scenario
  };
  const think = (client: NodeId): void => {
    world.at(world.now + 1 + Math.round(rng.exponential(options.thinkUsMean)), () => invoke(client));
  };
  world.onOutput((node, output) => {
    if (!clients.includes(node)) return;
    recorder.complete(node, output as ClientCompletion, world.now);
    think(node);
  });
  for (const client of clients) think(client);
}
