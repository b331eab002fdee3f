// Configuration validation: the defaults are usable, and every bad field is reported by name.

import { describe, expect, it } from 'vitest';
import type { SwimConfig } from './config';
import { defaultSwimConfig, validateSwimConfig } from './config';

describe('SwimConfig validation', () => {
  it('the defaults are valid', () => {
    expect(validateSwimConfig(defaultSwimConfig)).toEqual([]);
  });

  const broken: [string, Partial<SwimConfig>][] = [
    ['protocolPeriodUs', { protocolPeriodUs: 0 }],
    ['protocolPeriodUs', { protocolPeriodUs: 1.5 }],
    ['probeTimeoutUs', { probeTimeoutUs: -1 }],
    ['indirectProbes', { indirectProbes: -1 }],
    ['suspicionMultiplier', { suspicionMultiplier: 0 }],
    ['suspicionMaxMultiplier', { suspicionMaxMultiplier: 0 }],
    ['suspicionConfirmations', { suspicionConfirmations: Number.NaN }],
    ['retransmitMultiplier', { retransmitMultiplier: 0 }],
    ['piggybackMax', { piggybackMax: 0 }],
    ['updatesMax', { updatesMax: 0 }],
    ['membersMax', { membersMax: 1 }],
    ['pendingRelaysMax', { pendingRelaysMax: -2 }],
    ['syncEveryPeriods', { syncEveryPeriods: 0.5 }],
    ['localHealthMax', { localHealthMax: 1000 }],
    ['phi.threshold', { phi: { ...defaultSwimConfig.phi, threshold: 0 } }],
    ['phi.windowSize', { phi: { ...defaultSwimConfig.phi, windowSize: 0 } }],
    ['phi.minStdDevUs', { phi: { ...defaultSwimConfig.phi, minStdDevUs: 0 } }],
    ['phi.acceptableHeartbeatPauseUs', { phi: { ...defaultSwimConfig.phi, acceptableHeartbeatPauseUs: -5 } }],
  ];
  for (const [field, patch] of broken) {
    it(`a bad ${field} (${JSON.stringify(patch)}) is reported by name, and only it`, () => {
      const errors = validateSwimConfig({ ...defaultSwimConfig, ...patch });
      expect(errors).toHaveLength(1);
      expect(errors[0]!.startsWith(`${field} `)).toBe(true);
    });
  }

  it('probeTimeoutUs must be shorter than protocolPeriodUs', () => {
    const errors = validateSwimConfig({ ...defaultSwimConfig, probeTimeoutUs: defaultSwimConfig.protocolPeriodUs });
    expect(errors).toEqual([`probeTimeoutUs must be less than protocolPeriodUs (1000000), got 1000000`]);
  });

  it('several bad fields give several messages', () => {
    expect(validateSwimConfig({ ...defaultSwimConfig, piggybackMax: 0, membersMax: 0 })).toHaveLength(2);
  });
});
