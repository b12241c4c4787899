// The unit tokens' transfer hook (`ovpp_hook`): only active registry participants may send or
// receive kWh / kg-CO2 tokens.
export * from './constants';
export * from './errors';
export * from './instructions';
export * from './pdas';
