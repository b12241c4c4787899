// Load test of the read API against a Fastify hello-world floor, in the same run.
//
// A child process seeds an embedded world and serves both the OpenVPP API and a hello-world
// Fastify app on 127.0.0.1 (ephemeral ports); this process drives them with autocannon, one
// target after the other, bounded in time (SECONDS) and count (MAX_REQUESTS), and prints req/s,
// latency p50/p99 and each target's ratio to the hello floor. REPEAT runs the three targets
// several times and reports the median ratio.
//
//   npm run load     (DEVICES=200 SECONDS=5 CONNECTIONS=16 MAX_REQUESTS=200000 REPEAT=3;
//                     LOAD_PROFILE=1 writes the server's CPU profile to /tmp/openvpp-load-prof)
import Fastify from 'fastify';
import { Keypair } from '@solana/web3.js';

import { type Measured, exitWithParent, measure, median, serveChild } from './common';

const DEVICES = Math.min(Number(process.env.DEVICES ?? 200), 5_000);
const SECONDS = Math.min(Number(process.env.SECONDS ?? 5), 60);
const CONNECTIONS = Math.min(Number(process.env.CONNECTIONS ?? process.env.CONCURRENCY ?? 16), 256);
const MAX_REQUESTS = Math.min(Number(process.env.MAX_REQUESTS ?? 200_000), 2_000_000);
const REPEAT = Math.min(Number(process.env.REPEAT ?? 3), 10);

interface Targets {
  hello: string;
  api: string;
  resolvePaths: string[];
  devicePaths: string[];
}

/** The server side (child process): seeded API + hello floor, prints its targets as JSON. */
async function serve() {
  const [{ buildApp, generateApiKey, runtimeBackend }, { seedWorld }, { fetchDevice }] = await Promise.all([
    import('@openvpp/service'),
    import('@openvpp/testing'),
    import('@openvpp/sdk/web3'),
  ]);
  const world = seedWorld({ devices: DEVICES });
  const api = buildApp({ backend: runtimeBackend(world.rt), apiKey: generateApiKey() });
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  await api.listen({ host: '127.0.0.1', port: 0 });
  await hello.listen({ host: '127.0.0.1', port: 0 });
  const port = (app: { server: { address(): unknown } }) => (app.server.address() as { port: number }).port;
  const keys = await Promise.all(world.devices.map((address) => fetchDevice(world.rt, { address })));
  const targets: Targets = {
    hello: `http://127.0.0.1:${port(hello)}`,
    api: `http://127.0.0.1:${port(api)}`,
    resolvePaths: world.devices.map((d) => `/v1/resolve?device=${d.toBase58()}&program=${world.program.toBase58()}`),
    devicePaths: keys.map((d) => `/v1/devices/${(d?.deviceKey ?? Keypair.generate().publicKey).toBase58()}`),
  };
  process.stdout.write(`${JSON.stringify(targets)}\n`);
  exitWithParent();
}

async function main() {
  const prof = process.env.LOAD_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/openvpp-load-prof'] : [];
  const server = await serveChild<Targets>(__filename, [], prof);
  const targets = server.targets;
  const opts = { connections: CONNECTIONS, seconds: SECONDS, maxRequests: MAX_REQUESTS };
  const runs: Measured[][] = [];
  try {
    for (let r = 0; r < REPEAT; r++) {
      runs.push([
        await measure('Fastify hello-world (floor)', targets.hello, ['/'], opts),
        await measure('GET /v1/resolve', targets.api, targets.resolvePaths, opts),
        await measure('GET /v1/devices/{key}', targets.api, targets.devicePaths, opts),
      ]);
    }
  } finally {
    await server.stop();
  }

  console.log(
    `\n${DEVICES} devices, ${CONNECTIONS} connections, ${SECONDS} s or ${MAX_REQUESTS} requests per target, ` +
      `autocannon in a separate process, loopback\n`,
  );
  console.log('| run | target | req/s | p50 (ms) | p99 (ms) | requests | non-2xx | ratio to floor |');
  console.log('|---|---|---|---|---|---|---|---|');
  let failures = 0;
  runs.forEach((run, r) => {
    const floor = run[0].rps;
    for (const m of run) {
      failures += m.non2xx + m.errors;
      console.log(
        `| ${r + 1} | ${m.name} | ${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${m.requests} | ${m.non2xx + m.errors} | ${(
          m.rps / floor
        ).toFixed(2)} |`,
      );
    }
  });
  const ratio = (i: number) => median(runs.map((run) => run[i].rps / run[0].rps)).toFixed(2);
  console.log(`\nmedian ratio to the hello-world floor over ${REPEAT} run(s):`);
  console.log(`  GET /v1/resolve         ${ratio(1)}`);
  console.log(`  GET /v1/devices/{key}   ${ratio(2)}`);
  if (failures > 0) {
    console.error(`${failures} non-2xx responses or errors`);
    process.exit(1);
  }
}

(process.argv.includes('--serve') ? serve() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
