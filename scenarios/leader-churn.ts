// leader-churn: placeholder (being designed)
import { cycle } from './generate';
import type { Scenario } from './scenario';

export const leaderChurn: Scenario = {
  name: 'leader-churn',
  description: 'placeholder',
  settings: { raft: { checkQuorum: false } },
  schedule: (rng, cluster) => cycle(rng, cluster, () => ({ inject: [{ kind: 'isolate-leader' }], undo: [{ kind: 'heal' }] })),
};
