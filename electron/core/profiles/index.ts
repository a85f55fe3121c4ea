export * from './schema';
export * from './validate';
export * from './library';
export { locateJson5, type Position } from './locate';
