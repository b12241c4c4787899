// Minimal TLS terminator for the OpenADR VTN (which only speaks plain HTTP). Loopback only.
// env: LISTEN (port), TARGET (port on 127.0.0.1), PKI, CERT=server|expired
const tls = require('tls');
const net = require('net');
const fs = require('fs');
const { LISTEN, TARGET, PKI } = process.env;
const CERT = process.env.CERT || 'server';
tls
  .createServer({ cert: fs.readFileSync(`${PKI}/${CERT}.crt`), key: fs.readFileSync(`${PKI}/${CERT}.key`) }, (s) => {
    const up = net.connect(+TARGET, '127.0.0.1');
    s.pipe(up).pipe(s);
    const end = () => { s.destroy(); up.destroy(); };
    s.on('error', end); up.on('error', end);
  })
  .listen(+LISTEN, '127.0.0.1', () => console.log('tls front', LISTEN, '->', TARGET));
