export * from './accounts';
export * from './constants';
export * from './errors';
export * from '../../routing/endpoint';
export * from './instructions';
export * from './pdas';
export * from './types';
