/** Pricing: the engine, the rules synced from the Discounts / Special offers smart processes, per-dealer state. */
export { compilePricing, today, pricingDate, audienceMatches, inDateWindow, type CompiledPricing, type QuickPrice } from './compile-pricing.js';
export * from './pricing.types.js';
export { toScaledInt, parseScaled, formatHundredths, formatThousandths, mulDivHalfUp, type Scaled } from './minor-money.js';
export { LruMap } from './lru-map.js';
export { PortalPricing, personallyTargeted, type DealerPricing, type PersonalTargets, type PricingPriceType, type PriceTypeLookup } from './portal-pricing.js';
export { RuleBook, audienceIncludes, type Audience, type BookRule } from './rule-book.js';
export { audienceProfileOf, DealerDirectory, type DealerPricingRow } from './dealer-directory.js';
export { createPricingRulesRepository, type PricingRulesRepository, type StoredRule, type RuleSource, type RuleStatus, type RuleUpsert } from './pricing-rules.repository.js';
export { mapRuleItem, linkedItemId, type RuleResolver, type Resolved } from './map-rule-item.js';
export { readRuleProcessBinding, loadEnumMaps, RULE_FIELD_KEYS, type SmartProcessBinding, type RuleProcessKey, type RuleFieldKey, type EnumMaps } from './smart-process-binding.js';
export { syncAllPricingRules, syncPricingRuleItem, RULE_PROCESSES, type RuleSyncDeps, type RuleSyncResult, type RuleProblem } from './sync-pricing-rules.js';
