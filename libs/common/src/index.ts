export * from './config/emulator-config';
export * from './errors/google-api-error';
export * from './http/google-error.filter';
export * from './http/google-error.response';
export * from './ids';
export * from './links';
export * from './list';
export * from './wire/wire-schema';
