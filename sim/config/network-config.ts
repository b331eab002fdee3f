// Validation of a network configuration from outside the program: every latency a whole,
// non-negative number of microseconds, every probability in [0, 1], every overridden link between
// known processes. Fields left out take the defaults of net/link.ts.

import type { NodeId } from '../../src/host/contract';
import { DEFAULT_LINK, TAIL_US_MAX, type LinkConfig } from '../net/link';
import type { NetworkConfig } from '../net/network';
import { describeValue, durationUs, probability, readNumber, readObject } from './fields';

export type NetworkValidation = { ok: true; config: NetworkConfig } | { ok: false; errors: string[] };

export function validateNetworkConfig(raw: unknown, processIds: readonly NodeId[], prefix = 'network'): NetworkValidation {
  const errors: string[] = [];
  const top = readObject(raw ?? {}, prefix, ['defaultLink', 'links'], errors);
  if (top === null) return { ok: false, errors };
  const defaultLink = readLink(top['defaultLink'] ?? {}, `${prefix}.defaultLink`, DEFAULT_LINK, errors);
  const links: { from: NodeId; to: NodeId; link: LinkConfig }[] = [];
  const rawLinks = top['links'] ?? [];
  if (!Array.isArray(rawLinks)) {
    errors.push(`${prefix}.links: expected an array, got ${describeValue(rawLinks)}`);
  } else {
    rawLinks.forEach((entry: unknown, i: number) => {
      const name = `${prefix}.links[${i}]`;
      const record = readObject(entry, name, ['from', 'to', 'link'], errors);
      if (record === null) return;
      const from = record['from'];
      const to = record['to'];
      for (const [field, id] of [['from', from], ['to', to]] as const) {
        if (typeof id !== 'string' || !processIds.includes(id)) errors.push(`${name}.${field}: unknown process ${describeValue(id)} (known: ${processIds.join(', ')})`);
      }
      links.push({ from: String(from), to: String(to), link: readLink(record['link'] ?? {}, `${name}.link`, defaultLink, errors) });
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { defaultLink, links } };
}

function readLink(raw: unknown, name: string, base: LinkConfig, errors: string[]): LinkConfig {
  const record = readObject(raw, name, ['latency', 'lossProbability', 'duplicateProbability', 'reorderProbability', 'reorderDelayUsMax'], errors);
  if (record === null) return base;
  const latencyName = `${name}.latency`;
  const latency = readObject(record['latency'] ?? {}, latencyName, ['baseUs', 'jitterUs', 'tailProbability', 'tailUs'], errors) ?? {};
  const tailUs = (value: number): string | null => durationUs(value) ?? (value > TAIL_US_MAX ? `${value} exceeds the tail bound of ${TAIL_US_MAX} µs` : null);
  return {
    latency: {
      baseUs: readNumber(latency, 'baseUs', base.latency.baseUs, latencyName, errors, durationUs),
      jitterUs: readNumber(latency, 'jitterUs', base.latency.jitterUs, latencyName, errors, durationUs),
      tailProbability: readNumber(latency, 'tailProbability', base.latency.tailProbability, latencyName, errors, probability),
      tailUs: readNumber(latency, 'tailUs', base.latency.tailUs, latencyName, errors, tailUs),
    },
    lossProbability: readNumber(record, 'lossProbability', base.lossProbability, name, errors, probability),
    duplicateProbability: readNumber(record, 'duplicateProbability', base.duplicateProbability, name, errors, probability),
    reorderProbability: readNumber(record, 'reorderProbability', base.reorderProbability, name, errors, probability),
    reorderDelayUsMax: readNumber(record, 'reorderDelayUsMax', base.reorderDelayUsMax, name, errors, durationUs),
  };
}
