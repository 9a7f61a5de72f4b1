export { createD365Connector, type D365ConnectorDeps } from './create-d365-connector.js';
export { createD365TokenProvider, type D365TokenProvider } from './d365-token.js';
export { classifyD365Error } from './d365-http-client.js';
export { d365Formats, readD365Json } from './d365-formats.js';
export * as d365Query from './d365-query.js';
export * as d365Mapper from './d365-mapper.js';
