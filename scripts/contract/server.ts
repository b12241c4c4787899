// The API under contract test: a seeded embedded world (utility, vendor, DR program, routed
// devices) served on 127.0.0.1 (ephemeral port) with the utility and protocol keys, so every
// documented route, writes included, answers for real. Prints one JSON line
// `{ url, apiKey, device, program, deviceKey, lfdi }` on stdout, then serves until stdin closes.
// `scripts/contract.sh` starts it and runs schemathesis against `${url}/openapi.json`.
import { fetchDevice } from '@openvpp/sdk/web3';
import { buildApp, generateApiKey, runtimeBackend, type AppQueries, type CompressedLookups } from '@openvpp/service';
import { offlineProbe } from '@openvpp/integration/probe';
import { IndexerQueryError } from '@openvpp/indexer';

import { seedWorld } from '@openvpp/testing';

/** An index that has seen nothing yet: zero aggregates, empty lists (the app routes' shapes). */
const zero = { importWh: 0, exportWh: 0, billed: '0', exportCredit: '0', exportPaid: '0', rewards: '0' };
const totals = { billed: '0', exportCredit: '0', exportPaid: '0', rewards: '0', fees: '0', net: '0' };
const emptyIndex: AppQueries & CompressedLookups = {
  ownerHome: async () => ({ today: zero, exportOwed: '0' }),
  ownerDevices: async () => [],
  ownerEnergy: async () => ({ days: [] }),
  history: async () => ({ items: [], next: null }),
  bills: async () => ({ items: [] }),
  statement: async (owner, period) => {
    const [y, m] = period.split('-').map(Number);
    return {
      owner,
      period,
      from: Date.UTC(y, m - 1, 1) / 1000,
      to: Date.UTC(y, m, 1) / 1000,
      lines: [],
      totals,
      exportOwedAtEnd: '0',
    };
  },
  utilityHome: async () => ({
    today: { revenue: '0', exportPaid: '0', rewardsPaid: '0', readings: 0 },
    programs: [],
    tariffs: [],
  }),
  utilityRevenue: async () => ({ days: [] }),
  utilityCustomers: async () => [],
  drEvents: async () => [],
  compressedProof: async (tree, index) => {
    throw new IndexerQueryError('NotFound', `no leaf ${index} in tree ${tree}`);
  },
  compressedDevicesByKey: async () => [],
  compressedDeviceByLfdi: async () => null,
};

async function main() {
  const world = seedWorld({ devices: Math.min(Number(process.env.DEVICES ?? 5), 100) });
  const apiKey = generateApiKey();
  const app = buildApp({
    backend: runtimeBackend(world.rt),
    apiKey,
    utilityKey: world.utility,
    protocolKey: world.admin,
    // Fuzzed endpoints must not become real connections to whatever hosts they name.
    probe: offlineProbe,
    queries: emptyIndex,
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
    world.rt.close();
    process.exit(0);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
