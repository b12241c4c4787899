// openvpp: the command line. One file per command in ./commands; this file only assembles them.
//
//   cluster commands (a Solana RPC with --rpc; without it they run on the embedded demo runtime):
//     onboard, serve, resolve, connect (a device through its route; without --rpc via a running service)
//   the event index against a cluster (--rpc):
//     reconcile
//   endpoint validation (no cluster needed):
//     probe
//   a local node (the embedded runtime behind Solana JSON-RPC + PubSub):
//     localnet, localnet repair (verify a ledger; cut it at corruption on request)
//   demo commands (embedded in-process runtime and localnet fixtures only, never a cluster):
//     demo enroll-csv, demo settle
import { Command } from 'commander';

import * as connectCommand from './commands/connect';
import * as enrollCsvCommand from './commands/enroll-csv';
import * as localnetCommand from './commands/localnet';
import * as localnetRepairCommand from './commands/localnet-repair';
import * as onboardCommand from './commands/onboard';
import * as probeCommand from './commands/probe';
import * as reconcileCommand from './commands/reconcile';
import * as resolveCommand from './commands/resolve';
import * as serveCommand from './commands/serve';
import * as settleCommand from './commands/settle';

/** The `openvpp` program with every command registered. */
export function buildCli(): Command {
  const cli = new Command('openvpp')
    .description(
      'OpenVPP command line: partner onboarding, the routing & integration API, resolution; demo fleets on the embedded runtime',
    )
    // A command's options come before its subcommand's name, so `localnet repair --ledger DIR`
    // gives --ledger to repair, not to localnet.
    .enablePositionalOptions();
  onboardCommand.register(cli);
  serveCommand.register(cli);
  resolveCommand.register(cli);
  probeCommand.register(cli);
  reconcileCommand.register(cli);
  connectCommand.register(cli);
  localnetRepairCommand.register(localnetCommand.register(cli));

  const demo = cli
    .command('demo')
    .description('embedded runtime only: demo fleets with localnet fixtures (@openvpp/testing), never a cluster');
  enrollCsvCommand.register(demo);
  settleCommand.register(demo);
  // Earlier spellings, kept working: `openvpp enroll-csv`, `openvpp settle`.
  enrollCsvCommand.register(cli, 'enroll-csv', { hidden: true });
  settleCommand.register(cli, 'settle', { hidden: true });
  return cli;
}

export function main(argv: string[]) {
  return buildCli().parseAsync(argv);
}
