// The API under contract test: a seeded embedded world (utility, vendor, DR program, routed
// devices) served on 127.0.0.1 (ephemeral port) with the utility and protocol keys, so every
// documented route, writes included, answers for real. Prints one JSON line
// `{ url, apiKey, device, program, deviceKey, lfdi }` on stdout, then serves until stdin closes.
// `scripts/contract.sh` starts it and runs schemathesis against `${url}/openapi.json`.
import { fetchDevice } from '@openvpp/sdk/web3';
import { Queries, openDatabase } from '@openvpp/indexer';
import { buildApp, generateApiKey, runtimeBackend } from '@openvpp/service';
import { offlineProbe } from '@openvpp/integration/probe';

import { seedWorld } from '@openvpp/testing';

async function main() {
  const world = seedWorld({ devices: Math.min(Number(process.env.DEVICES ?? 5), 100) });
  const apiKey = generateApiKey();
  // The indexer's own queries over an index that has seen nothing yet (zero aggregates, empty
  // lists): the app routes answer with the real shapes and the real input checks.
  const { db } = await openDatabase({ sqlite: ':memory:' });
  const app = buildApp({
    backend: runtimeBackend(world.rt),
    apiKey,
    utilityKey: world.utility,
    protocolKey: world.admin,
    // Fuzzed endpoints must not become real connections to whatever hosts they name.
    probe: offlineProbe,
    queries: new Queries(db),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const device = await fetchDevice(world.rt, { address: world.devices[0] });
  process.stdout.write(
    `${JSON.stringify({
      url: `http://127.0.0.1:${port}`,
      apiKey,
      device: world.devices[0].toBase58(),
      program: world.program.toBase58(),
      deviceKey: device?.deviceKey.toBase58(),
      lfdi: device && Buffer.from(device.lfdi).toString('hex'),
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await app.close();
    await db.destroy();
    world.rt.close();
    process.exit(0);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
