#!/usr/bin/env node
// `openvpp` CLI entry: runs the TypeScript source through ts-node (development install).
require('ts-node').register({ project: require('path').join(__dirname, '../../tsconfig.json'), transpileOnly: true });
require('tsconfig-paths').register({
  baseUrl: require('path').join(__dirname, '../..'),
  paths: { '@openvpp/sdk': ['sdk/src/index.ts'], '@openvpp/service': ['service/src/index.ts'] },
});
require('../src/cli').main(process.argv);
