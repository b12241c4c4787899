export * from './accounts';
export * from './constants';
export * from './errors';
export * from '../../registry/identity';
export * from './instructions';
export * from './pdas';
export * from './types';
