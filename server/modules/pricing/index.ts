export { compilePricing, today, type CompiledPricing } from './compile-pricing.js';
export * from './pricing.types.js';
