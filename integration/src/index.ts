// @openvpp/integration: everything a utility-endpoint integration needs, on one entry. Prefer the
// subpaths, which load only what they need: `/identity` (browser-safe 2030.5 identities), `/x509`
// (RFC 5280 validation, no sockets), `/connect` (pinned TLS / HTTP / WebSocket first exchanges) and
// `/probe` (endpoint probes and their address policy).
export * from './identity';
export * from './x509';
export * from './connect';
export * from './probe';
