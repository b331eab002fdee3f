// Every named scenario, in the order `npm run sim -- --list` shows them.

import { clockSkew } from './clock-skew';
import { crash } from './crash';
import { disk } from './disk';
import { bitRot } from './bit-rot';
import { partition } from './partition';
import { messageLoss } from './message-loss';
import { pause } from './pause';
import { random } from './random';
import { swim } from './swim';
import { snapshot } from './snapshot';
import { snapshotLag } from './snapshot-lag';
import { leaderTransfer } from './leader-transfer';
import { membership } from './membership';
import { leaderFaults } from './leader-faults';
import { staleLeader } from './stale-leader';
import { powerLoss } from './power-loss';
import { electionBlackout } from './election-blackout';
import { leaseDrift } from './lease-drift';
import { leaderClockStep } from './leader-clock-step';
import { leaderChurn } from './leader-churn';
import type { Scenario } from './scenario';

export const SCENARIOS: readonly Scenario[] = [partition, messageLoss, crash, clockSkew, pause, disk, bitRot, snapshot, snapshotLag, leaderTransfer, membership, leaderFaults, staleLeader, powerLoss, electionBlackout, leaderChurn, leaseDrift, leaderClockStep, random, swim];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
