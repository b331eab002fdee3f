// A process that keeps a fixed number of messages circulating: each message it receives is passed
// on to a random peer. The lightest possible load on the world, for measuring the scheduler and
// the network alone (the benchmark). Not part of the product.

import type { HostEffect, HostInput, NodeId, Process } from '../../src/host/contract';
import type { Random } from '../../src/util/random';

export interface RelayMessage {
  readonly type: 'relay';
  readonly hops: number;
}

export class RelayProcess implements Process<RelayMessage> {
  constructor(
    private readonly peers: readonly NodeId[],
    private readonly initialMessages: number,
    private readonly random: Random,
  ) {}

  step(input: HostInput<RelayMessage>): HostEffect<RelayMessage>[] {
    if (input.kind === 'start') {
      const out: HostEffect<RelayMessage>[] = [];
      for (let i = 0; i < this.initialMessages; i++) out.push({ kind: 'send', to: this.pickPeer(), message: { type: 'relay', hops: 0 } });
      return out;
    }
    if (input.kind === 'message') return [{ kind: 'send', to: this.pickPeer(), message: { type: 'relay', hops: input.message.hops + 1 } }];
    return [];
  }

  private pickPeer(): NodeId {
    return this.peers[this.random.int(this.peers.length)] as NodeId;
  }
}
