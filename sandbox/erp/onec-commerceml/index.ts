export { runCommerceMlExchange, PICTURES_BY_DEFAULT_UP_TO, type CmlExchangeFault, type CmlExchangeReport, type ReceivedOrder, type RunCommerceMlExchangeOptions } from './run-commerceml-exchange.js';
export { renderCommerceMl, renderedPictures, CLASSIFIER_ID, type CmlEncoding, type CmlVersion, type RenderCmlOptions, type RenderedFile, type RenderedPicture } from './render-commerceml.js';
export { writeZip, type ZipSource } from './zip-writer.js';
