export * as registry from './registry';
export * as routing from './routing';
export * as payments from './payments';
export * as hook from './hook';
