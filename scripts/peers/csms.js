// OCPP 2.0.1 CSMS on ocpp-rpc (strict mode) for the interop suite. Loopback only.
// env: PROFILE=1|2|3 (security profile) PORT, PASSWORD, PKI (dir with ca.crt server.crt server.key),
//      CERT=server|expired (which server certificate to present), SLOW=1 (accept TCP, never answer),
//      PROTOCOLS=comma list of subprotocols the CSMS accepts (default ocpp2.0.1). PROFILE=0: no auth.
const https = require('https');
const net = require('net');
const fs = require('fs');
const { RPCServer, createRPCError } = require('ocpp-rpc');
const PROFILE = +(process.env.PROFILE || 1);
const PORT = +(process.env.PORT || 9101);
const PW = process.env.PASSWORD || 's3cret-password-16';
const PKI = process.env.PKI;
const CERT = process.env.CERT || 'server';
if (process.env.SLOW) {
  const held = [];
  net.createServer((s) => held.push(s)).listen(PORT, '127.0.0.1');
  return;
}
const server = new RPCServer({ protocols: (process.env.PROTOCOLS || 'ocpp2.0.1').split(','), strictMode: true });
server.auth((accept, reject, hs) => {
  if (PROFILE >= 1 && PROFILE <= 2 && (!hs.password || hs.password.toString('utf8') !== PW)) return reject(401);
  accept({ identity: hs.identity });
});
server.on('client', (client) => {
  console.log('client', client.identity, client.protocol);
  client.on('strictValidationFailure', (e) => console.log('strictValidationFailure', e.error && e.error.message));
  client.handle('BootNotification', () => ({ currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' }));
  client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  client.handle(() => {
    throw createRPCError('NotImplemented');
  });
});
if (PROFILE <= 1) {
  server.listen(PORT, '127.0.0.1');
} else {
  const h = https.createServer({
    cert: fs.readFileSync(`${PKI}/${CERT}.crt`),
    key: fs.readFileSync(`${PKI}/${CERT}.key`),
    ca: fs.readFileSync(`${PKI}/ca.crt`),
    minVersion: 'TLSv1.2',
    requestCert: PROFILE === 3,
    rejectUnauthorized: PROFILE === 3,
  });
  h.on('upgrade', server.handleUpgrade);
  h.listen(PORT, '127.0.0.1');
}
console.log('listening', PORT, 'profile', PROFILE);
