// Runs one demo world from the command line and prints its trace hash: the second process of the
// cross-process determinism test. Usage: tsx sim/testing/demo-run.ts SEED
import { DEFAULT_LINK } from '../net/link';
import { HashSink } from '../trace/trace';
import { buildDemoWorld } from './demo-world';

const seed = Number(process.argv[2] ?? '1');
const hash = new HashSink();
const world = buildDemoWorld({ seed, nodes: 5, network: { defaultLink: { ...DEFAULT_LINK, lossProbability: 0.05, reorderProbability: 0.1 }, links: [] }, traceSinks: [hash] });
world.runUntil(200_000);
world.partition({ shape: 'majority-minority', minority: ['n1', 'n2'] });
world.runUntil(400_000);
world.heal();
world.runUntil(600_000);
world.close();
process.stdout.write(`${hash.records} ${hash.digest()}\n`);
