// Which of two updates about the same member wins. The rule makes every member's knowledge of
// another member a join-semilattice ordered by (incarnation, status rank), so gossip applied in
// any order, any number of times, converges to the same answer. Never depends on local state.
//
//   - a higher incarnation wins, whatever the statuses (only the member itself raises its
//     incarnation, to refute a suspicion or death, or to rejoin after leaving);
//   - at equal incarnation: left > dead > suspect > alive.
//
// SWIM's paper makes "confirm" final forever; we let a higher incarnation override dead so a
// crashed and restarted member can rejoin under the same name (as memberlist does).

import type { MemberStatus } from './types';

const rank: Readonly<Record<MemberStatus, number>> = { alive: 0, suspect: 1, dead: 2, left: 3 };

/** True when (incarnation, status) strictly supersedes (currentIncarnation, currentStatus). */
export function overrides(
  incarnation: number,
  status: MemberStatus,
  currentIncarnation: number,
  currentStatus: MemberStatus,
): boolean {
  if (incarnation !== currentIncarnation) return incarnation > currentIncarnation;
  return rank[status] > rank[currentStatus];
}

export function statusRank(status: MemberStatus): number {
  return rank[status];
}
