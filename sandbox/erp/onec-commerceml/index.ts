export { runCommerceMlExchange, type CmlExchangeFault, type CmlExchangeReport, type ReceivedOrder, type RunCommerceMlExchangeOptions } from './run-commerceml-exchange.js';
export { renderCommerceMl, CLASSIFIER_ID, type CmlEncoding, type CmlVersion, type RenderCmlOptions, type RenderedFile } from './render-commerceml.js';
export { writeZip, type ZipSource } from './zip-writer.js';
