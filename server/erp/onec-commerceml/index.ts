export { createCommerceMlFeed, CML_COOKIE_NAME, type CmlOrdersSource, type CommerceMlFeed, type CommerceMlFeedDeps } from './create-commerceml-feed.js';
export {
  clearExchangeCredentials, hashExchangePassword, portalExchangeCredentials, setExchangeCredentials, verifyExchangePassword,
  type ExchangeCredentials, type StoredExchangeCredentials,
} from './exchange-credentials.js';
export { parseCommerceMl, NotCommerceMlError, type CmlBatchSink, type CmlParseOptions, type CmlParseSummary } from './parse-commerceml.js';
export { renderOrdersXml, type CmlExportLine, type CmlExportOrder, type RenderOrdersOptions } from './render-orders-xml.js';
export { CML_ORDER_STATUSES, cmlStatusOf, statusFromCmlId } from './order-status-map.js';
export { CML_TOTAL_WAREHOUSE_ID, createCmlContext, type CmlContext } from './cml-mappers.js';
export { commerceMlFormats, readCommerceMlFile } from './commerceml-formats.js';
export { XmlDataError, XmlEncodingError, XmlSyntaxError, EmptyPayloadError } from './xml-stream.js';
