// Load test of the resolver: the HTTP service on 127.0.0.1 (ephemeral port) over the
// embedded runtime, hammered by a bounded number of concurrent loopback requests.
//
//   npm run load            (DEVICES=200 SECONDS=5 CONCURRENCY=16 MAX_REQUESTS=50000)
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { seedWorld } from '@openvpp/testing';

const DEVICES = Number(process.env.DEVICES ?? 200);
const SECONDS = Math.min(Number(process.env.SECONDS ?? 5), 60);
const CONCURRENCY = Math.min(Number(process.env.CONCURRENCY ?? 16), 256);
const MAX_REQUESTS = Math.min(Number(process.env.MAX_REQUESTS ?? 50_000), 1_000_000);

async function main() {
  const world = seedWorld({ devices: DEVICES });
  const app = buildApp({ backend: runtimeBackend(world.rt), apiKey: generateApiKey() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const urls = world.devices.map(
    (d) => `http://127.0.0.1:${port}/v1/resolve?device=${d.toBase58()}&program=${world.program.toBase58()}`,
  );

  const deadline = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  const worker = async () => {
    while (performance.now() < deadline && sent < MAX_REQUESTS) {
      const url = urls[sent++ % urls.length];
      const t = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      if (res.status !== 200) failures++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  await app.close();
  world.rt.close();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  console.log('| metric | value |');
  console.log('|---|---|');
  console.log(`| devices routed | ${DEVICES} |`);
  console.log(`| requests (concurrency ${CONCURRENCY}) | ${latencies.length} in ${elapsed.toFixed(1)} s |`);
  console.log(`| lookups/s | ${(latencies.length / elapsed).toFixed(0)} |`);
  console.log(`| latency p50 / p99 (ms) | ${pct(50)} / ${pct(99)} |`);
  console.log(`| non-200 responses | ${failures} |`);
  if (failures > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
