// The messages between cache clients and cache nodes. A request carries the client's session and
// serial (so a retry is recognisably the same request) and the operation; a node answers with the
// result, a redirect to the leader it believes in, SERVER_BUSY, or "unknown" when it can no longer
// tell whether a write will take effect.

import type { NodeId } from '../host/contract';
import type { ReadMode } from '../raft/types';
import type { CacheOp, CacheResult } from './commands';

export interface ClientRequest {
  readonly type: 'client.request';
  /** Unique per client: ties a response to its request across retries and duplicates. */
  readonly requestId: string;
  readonly sessionId: string;
  /** Per session, increasing for each new write; a retry reuses it. Reads carry 0. */
  readonly serial: number;
  readonly op: CacheOp;
  /** How a read is made safe: ReadIndex (default), the leader lease, or stale (any replica, any age). */
  readonly readMode: ReadMode;
}

export type ClientResponse = (
  | { readonly type: 'client.result'; readonly requestId: string; readonly result: CacheResult }
  | { readonly type: 'client.redirect'; readonly requestId: string; readonly leaderHint: NodeId | null }
  | { readonly type: 'client.busy'; readonly requestId: string }
  /** The node lost track of the request (leadership lost, restarted): it may or may not take effect. */
  | { readonly type: 'client.unknown'; readonly requestId: string; readonly reason: string }
) & {
  /** The members the answering node's failure detector holds dead: clients route away from them. */
  readonly down?: readonly NodeId[];
};

export type ClientMessage = ClientRequest | ClientResponse;
