export * from './config.schema';
export * from './trading.schema';
export * from './events';
export * from './errors.schema';
export * from './operations';
export * from './bridge';
export * from './session.schema';
export * from './fleet.schema';
