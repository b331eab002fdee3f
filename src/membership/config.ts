// Configuration of SWIM gossip and the phi-accrual failure detector: the fields, their
// defaults, and validation that returns one message per bad field, naming it. A configuration
// is user input: validation never throws. It must never read the environment or the clock.

export interface PhiConfig {
  /** Phi at or above which a member counts as suspicious (Hayashibara et al. suggest 8). */
  readonly threshold: number;
  /** Inter-arrival samples kept per member (a sliding window). */
  readonly windowSize: number;
  /** Floor on the standard deviation, so a very regular history does not make phi explode. */
  readonly minStdDevUs: number;
  /** Added to the mean: a pause this long after the expected arrival costs no suspicion. */
  readonly acceptableHeartbeatPauseUs: number;
}

export interface SwimConfig {
  /** One probe per period (scaled by the local health multiplier under Lifeguard). */
  readonly protocolPeriodUs: number;
  /** Wait this long for a direct ack before asking others to probe; must be < protocolPeriodUs. */
  readonly probeTimeoutUs: number;
  /** k: members asked to probe indirectly after a direct probe times out. */
  readonly indirectProbes: number;
  /** alpha: minimum suspicion timeout = alpha x max(1, ceil(log10 n)) x protocolPeriodUs. */
  readonly suspicionMultiplier: number;
  /** beta (Lifeguard): maximum suspicion timeout = beta x minimum; 1 turns the dynamic timeout off. */
  readonly suspicionMaxMultiplier: number;
  /** K (Lifeguard): independent confirmations that shrink the timeout to the minimum. */
  readonly suspicionConfirmations: number;
  /** lambda: each update is piggybacked at most lambda x max(1, ceil(log10(n + 1))) times. */
  readonly retransmitMultiplier: number;
  /** Cap on updates piggybacked on one ping, ack, ping-req or nack. */
  readonly piggybackMax: number;
  /** Cap on updates waiting to be piggybacked. */
  readonly updatesMax: number;
  /** Cap on the member table, self included (dead and left members are evicted first). */
  readonly membersMax: number;
  /** Cap on indirect probes this member runs for others at once. */
  readonly pendingRelaysMax: number;
  /** Push-pull with one random member every this many periods (heals partitions); 0 = never. */
  readonly syncEveryPeriods: number;
  /** Lifeguard local health multiplier cap; periods and probe timeouts scale by (1 + score). 0 = off. */
  readonly localHealthMax: number;
  readonly phi: PhiConfig;
}

export const defaultPhiConfig: PhiConfig = {
  threshold: 8,
  windowSize: 64,
  minStdDevUs: 200_000,
  acceptableHeartbeatPauseUs: 1_000_000,
};

export const defaultSwimConfig: SwimConfig = {
  protocolPeriodUs: 1_000_000,
  probeTimeoutUs: 400_000,
  indirectProbes: 3,
  suspicionMultiplier: 4,
  suspicionMaxMultiplier: 6,
  suspicionConfirmations: 3,
  retransmitMultiplier: 4,
  piggybackMax: 8,
  updatesMax: 256,
  membersMax: 64,
  pendingRelaysMax: 32,
  syncEveryPeriods: 10,
  localHealthMax: 8,
  phi: defaultPhiConfig,
};

/** Upper bounds that keep every derived figure a safe integer and every loop short. */
export const configLimits = {
  periodUsMax: 3_600_000_000,
  multiplierMax: 100,
  listMax: 10_000,
  windowSizeMax: 10_000,
} as const;

/** Messages naming each bad field; empty when the configuration is usable. */
export function validateSwimConfig(config: SwimConfig): string[] {
  const errors: string[] = [];
  const L = configLimits;
  integerIn(errors, 'protocolPeriodUs', config.protocolPeriodUs, 1, L.periodUsMax);
  integerIn(errors, 'probeTimeoutUs', config.probeTimeoutUs, 1, L.periodUsMax);
  const bothUsable = errors.length === 0; // Compare the two only when each is a valid figure.
  if (bothUsable && config.probeTimeoutUs >= config.protocolPeriodUs) {
    errors.push(`probeTimeoutUs must be less than protocolPeriodUs (${config.protocolPeriodUs}), got ${config.probeTimeoutUs}`);
  }
  integerIn(errors, 'indirectProbes', config.indirectProbes, 0, L.listMax);
  integerIn(errors, 'suspicionMultiplier', config.suspicionMultiplier, 1, L.multiplierMax);
  integerIn(errors, 'suspicionMaxMultiplier', config.suspicionMaxMultiplier, 1, L.multiplierMax);
  integerIn(errors, 'suspicionConfirmations', config.suspicionConfirmations, 0, L.listMax);
  integerIn(errors, 'retransmitMultiplier', config.retransmitMultiplier, 1, L.multiplierMax);
  integerIn(errors, 'piggybackMax', config.piggybackMax, 1, L.listMax);
  integerIn(errors, 'updatesMax', config.updatesMax, 1, L.listMax);
  integerIn(errors, 'membersMax', config.membersMax, 2, L.listMax);
  integerIn(errors, 'pendingRelaysMax', config.pendingRelaysMax, 0, L.listMax);
  integerIn(errors, 'syncEveryPeriods', config.syncEveryPeriods, 0, L.listMax);
  integerIn(errors, 'localHealthMax', config.localHealthMax, 0, L.multiplierMax);
  errors.push(...validatePhiConfig(config.phi, 'phi.'));
  return errors;
}

export function validatePhiConfig(config: PhiConfig, prefix = ''): string[] {
  const errors: string[] = [];
  if (typeof config.threshold !== 'number' || !Number.isFinite(config.threshold) || config.threshold <= 0) {
    errors.push(`${prefix}threshold must be a finite number > 0, got ${String(config.threshold)}`);
  }
  integerIn(errors, `${prefix}windowSize`, config.windowSize, 1, configLimits.windowSizeMax);
  integerIn(errors, `${prefix}minStdDevUs`, config.minStdDevUs, 1, configLimits.periodUsMax);
  integerIn(errors, `${prefix}acceptableHeartbeatPauseUs`, config.acceptableHeartbeatPauseUs, 0, configLimits.periodUsMax);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function integerIn(errors: string[], field: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    errors.push(`${field} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}
