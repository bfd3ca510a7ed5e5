export * from './input.types';
export * from './cidr';
export * from './model';
export * from './layout';
export * from './trace';
export * from './queries';
export * from './synthetic';
export * from './detail';
