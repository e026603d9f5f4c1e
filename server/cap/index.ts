export * from './cap-schema.js';
export * from './cap-parser.js';
export * from './cap-policy.js';
