import { describe, expect, it } from 'vitest';
import { removalProposal, validateRemovalPolicy, type RemovalInputs, type RemovalPolicy } from './removal-policy';

const policy: RemovalPolicy = { deadLongerThanUs: 5_000_000, minVoters: 3, retryEveryUs: 2_000_000 };
const base: RemovalInputs = {
  self: 'n1',
  role: 'leader',
  config: { voters: ['n1', 'n2', 'n3', 'n4', 'n5'], votersOld: null, learners: ['n6'] },
  configPending: false,
  deadLongEnough: ['n4', 'n5'],
  proposalInFlight: false,
  nowUs: 10_000_000,
  lastProposalUs: null,
};

describe('removal of long-dead voters', () => {
  it('a leader proposes removing the first long-dead voter, keeping every other voter and the learners', () => {
    expect(removalProposal(policy, base)).toEqual({ remove: 'n4', voters: ['n1', 'n2', 'n3', 'n5'], learners: ['n6'] });
    expect(removalProposal(policy, { ...base, deadLongEnough: ['n6', 'n5'] })).toEqual({ remove: 'n5', voters: ['n1', 'n2', 'n3', 'n4'], learners: ['n6'] });
  });

  it('nothing when not leader, when the configuration is joint or uncommitted, or when a proposal is in flight: one change at a time', () => {
    expect(removalProposal(policy, { ...base, role: 'follower' })).toBeNull();
    expect(removalProposal(policy, { ...base, config: { ...base.config, votersOld: ['n1', 'n2', 'n3'] } })).toBeNull();
    expect(removalProposal(policy, { ...base, configPending: true })).toBeNull();
    expect(removalProposal(policy, { ...base, proposalInFlight: true })).toBeNull();
  });

  it('never below the minimum size, never itself, never a member that is not a voter', () => {
    const three = { ...base, config: { voters: ['n1', 'n2', 'n3'], votersOld: null, learners: [] } };
    expect(removalProposal(policy, { ...three, deadLongEnough: ['n3'] })).toBeNull();
    expect(removalProposal({ ...policy, minVoters: 2 }, { ...three, deadLongEnough: ['n3'] })).toEqual({ remove: 'n3', voters: ['n1', 'n2'], learners: [] });
    expect(removalProposal(policy, { ...base, deadLongEnough: ['n1'] })).toBeNull();
    expect(removalProposal(policy, { ...base, deadLongEnough: ['n6', 'n9'] })).toBeNull();
  });

  it('bounded: no second proposal sooner than retryEveryUs after the last', () => {
    expect(removalProposal(policy, { ...base, lastProposalUs: 9_000_000 })).toBeNull();
    expect(removalProposal(policy, { ...base, lastProposalUs: 8_000_000 })).not.toBeNull();
  });

  it('a policy names each bad field', () => {
    expect(validateRemovalPolicy({ deadLongerThanUs: 0, minVoters: 0.5, retryEveryUs: -1 })).toEqual([
      'removal.deadLongerThanUs: expected an integer >= 1, got 0',
      'removal.minVoters: expected an integer >= 1, got 0.5',
      'removal.retryEveryUs: expected an integer >= 1, got -1',
    ]);
    expect(validateRemovalPolicy(policy)).toEqual([]);
  });
});
