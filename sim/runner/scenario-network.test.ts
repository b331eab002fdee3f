// A scenario may carry network settings: validated as --config's are (a wrong field exits 2
// naming it), overridden by --config, and recorded in the artifact as the network actually used,
// so that replaying the artifact's schedule reproduces the run.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS, findScenario } from '../../scenarios/registry';
import { snapshotLag } from '../../scenarios/snapshot-lag';
import { powerLoss } from '../../scenarios/power-loss';
import { DEFAULT_DISK_CONFIG } from '../disk/config';
import type { Scenario } from '../../scenarios/scenario';
import { main } from '../cli/main';
import { DEFAULT_LINK } from '../net/link';
import { DEFAULT_NETWORK } from '../net/network';
import { runNetwork, scenarioNetwork, serverIds } from './run';

async function sim(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'loom-scenario-network-'));

interface RecordedNetwork {
  defaultLink: typeof DEFAULT_LINK;
  links: { from: string; to: string; link: typeof DEFAULT_LINK }[];
}

function artifact(path: string): { config: { network: RecordedNetwork }; summary: { traceHash: string } } {
  return JSON.parse(readFileSync(path, 'utf8')) as { config: { network: RecordedNetwork }; summary: { traceHash: string } };
}

/** A scenario whose network names a process that does not exist and a probability above 1. */
const badNetwork: Scenario = {
  name: 'bad-network-for-test',
  description: 'a scenario with a wrong network, for the validation test',
  settings: { network: () => ({ defaultLink: { lossProbability: 1.5 }, links: [{ from: 'n1', to: 'n9', link: {} }] }) },
  schedule: () => [],
};

describe('scenario network settings', () => {
  it('a scenario without network settings runs on the default network', () => {
    const partition = findScenario('partition');
    expect(partition).toBeDefined();
    expect(scenarioNetwork(partition as Scenario, serverIds(5))).toEqual({ ok: true, config: DEFAULT_NETWORK });
  });

  it('snapshot-lag: every link duplicates and reorders, and the last server is on slow links both ways', () => {
    const v = scenarioNetwork(snapshotLag, serverIds(5));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.config.defaultLink.duplicateProbability).toBeGreaterThan(0);
    expect(v.config.defaultLink.reorderProbability).toBeGreaterThan(0);
    expect(v.config.defaultLink.latency).toEqual(DEFAULT_LINK.latency);
    expect(v.config.links.map((l) => `${l.from}>${l.to}`).sort()).toEqual(['n1>n5', 'n2>n5', 'n3>n5', 'n4>n5', 'n5>n1', 'n5>n2', 'n5>n3', 'n5>n4']);
    for (const l of v.config.links) expect(l.link.latency.baseUs).toBeGreaterThan(10 * DEFAULT_LINK.latency.baseUs);
    // With three servers the slow one is n3.
    const three = scenarioNetwork(snapshotLag, serverIds(3));
    expect(three.ok && three.config.links.every((l) => l.from === 'n3' || l.to === 'n3')).toBe(true);
  });

  it('a wrong scenario network is refused naming the scenario and each field, and a run would assert', () => {
    const v = scenarioNetwork(badNetwork, serverIds(5));
    expect(v).toEqual({
      ok: false,
      errors: [
        'scenario bad-network-for-test: network.defaultLink.lossProbability: 1.5 is outside [0, 1]',
        'scenario bad-network-for-test: network.links[0].to: unknown process the string "n9" (known: n1, n2, n3, n4, n5)',
      ],
    });
    expect(() => runNetwork({ scenario: badNetwork }, serverIds(5))).toThrow(/invalid scenario network/);
  });

  it('the CLI exits 2 on a wrong scenario network, naming the field', async () => {
    const registry = SCENARIOS as Scenario[];
    registry.push(badNetwork);
    try {
      const r = await sim('--seed', '1', '--scenario', badNetwork.name, '--system', 'demo', '--duration', '6s', '--out', tmp());
      expect(r.code).toBe(2);
      expect(r.err).toContain('scenario bad-network-for-test: network.links[0].to: unknown process');
      expect(r.err).not.toMatch(/\n\s+at /);
      // --config's network replaces the scenario's, so the wrong one is never read.
      const dir = tmp();
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ network: {} }));
      const ok = await sim('--seed', '1', '--scenario', badNetwork.name, '--system', 'demo', '--duration', '6s', '--config', join(dir, 'config.json'), '--out', dir);
      expect(ok.code).toBe(0);
    } finally {
      registry.pop();
    }
    expect(findScenario(badNetwork.name)).toBeUndefined();
  });

  it('the artifact records the scenario network; --config overrides it; a config without a network keeps it', async () => {
    const expected = scenarioNetwork(snapshotLag, serverIds(5));
    expect(expected.ok).toBe(true);
    const dir = tmp();
    const own = await sim('--seed', '2', '--scenario', 'snapshot-lag', '--system', 'demo', '--duration', '6s', '--out', join(dir, 'own'));
    expect(own.code).toBe(0);
    const ownNetwork = artifact(join(dir, 'own', 'snapshot-lag-2', 'run.json')).config.network;
    expect(ownNetwork).toEqual(expected.ok ? expected.config : null);

    writeFileSync(join(dir, 'net.json'), JSON.stringify({ network: { defaultLink: { lossProbability: 0.01 } } }));
    const overridden = await sim('--seed', '2', '--scenario', 'snapshot-lag', '--system', 'demo', '--duration', '6s', '--config', join(dir, 'net.json'), '--out', join(dir, 'net'));
    expect(overridden.code).toBe(0);
    expect(artifact(join(dir, 'net', 'snapshot-lag-2', 'run.json')).config.network).toEqual({ defaultLink: { ...DEFAULT_LINK, lossProbability: 0.01 }, links: [] });

    writeFileSync(join(dir, 'disk.json'), JSON.stringify({ disk: { latency: { fsyncUs: 300 } } }));
    const diskOnly = await sim('--seed', '2', '--scenario', 'snapshot-lag', '--system', 'demo', '--duration', '6s', '--config', join(dir, 'disk.json'), '--out', join(dir, 'disk'));
    expect(diskOnly.code).toBe(0);
    expect(artifact(join(dir, 'disk', 'snapshot-lag-2', 'run.json')).config.network).toEqual(ownNetwork);
  });

  it('a config without a disk keeps the scenario\'s disk latency; one with a disk replaces it', async () => {
    const dir = tmp();
    const diskOf = (path: string): { latency: unknown } => (JSON.parse(readFileSync(path, 'utf8')) as { config: { disk: { latency: unknown } } }).config.disk;
    writeFileSync(join(dir, 'net.json'), JSON.stringify({ network: { defaultLink: { lossProbability: 0.01 } } }));
    const netOnly = await sim('--seed', '2', '--scenario', 'power-loss', '--system', 'demo', '--duration', '6s', '--config', join(dir, 'net.json'), '--out', join(dir, 'net'));
    expect(netOnly.code).toBe(0);
    expect(diskOf(join(dir, 'net', 'power-loss-2', 'run.json')).latency).toEqual(powerLoss.settings?.diskLatency);
    writeFileSync(join(dir, 'disk.json'), JSON.stringify({ disk: {} }));
    const withDisk = await sim('--seed', '2', '--scenario', 'power-loss', '--system', 'demo', '--duration', '6s', '--config', join(dir, 'disk.json'), '--out', join(dir, 'disk'));
    expect(withDisk.code).toBe(0);
    expect(diskOf(join(dir, 'disk', 'power-loss-2', 'run.json')).latency).toEqual(DEFAULT_DISK_CONFIG.latency);
  });

  it('replaying the artifact of a run on the scenario network reproduces its trace', async () => {
    const dir = tmp();
    const first = await sim('--seed', '3', '--scenario', 'snapshot-lag', '--duration', '15s', '--out', join(dir, 'a'));
    expect(first.code).toBe(0);
    const path = join(dir, 'a', 'snapshot-lag-3', 'run.json');
    const replay = await sim('--seed', '3', '--scenario', 'snapshot-lag', '--duration', '15s', '--schedule', path, '--out', join(dir, 'b'));
    expect(replay.code).toBe(0);
    const again = artifact(join(dir, 'b', 'snapshot-lag-3', 'run.json'));
    expect(again.summary.traceHash).toBe(artifact(path).summary.traceHash);
    expect(again.config.network).toEqual(artifact(path).config.network);
  }, 60_000);
});
