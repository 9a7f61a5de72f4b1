export { createOnecOdataConnector, localTimestamp, type OnecOdataConnectorDeps } from './create-onec-odata-connector.js';
export { BP30_PROFILE, ERP2_PROFILE, ONEC_PROFILES, UT11_PROFILE, requiredMetadata, resolveOnecProfile, type OnecProfile, type OnecProfileName } from './onec-profile.js';
export { assertOnecProfile, checkOnecProfile, parseOnecMetadata, type OnecMetadata } from './onec-metadata-check.js';
export { classifyOnecError, parseRetryAfter } from './onec-http-client.js';
export * as onecQuery from './odata-query.js';
export * as onecMapper from './onec-mapper.js';
export { onecOdataFormats, readOnecOdataJson } from './onec-odata-formats.js';
