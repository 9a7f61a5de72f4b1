export { createAx2012Connector, aifMessageId, type Ax2012ConnectorDeps } from './create-ax2012-connector.js';
export { basicTransport, type AxTransport, type AxHttpRequest, type AxHttpResponse, type BasicTransportOptions } from './aif-transport.js';
export { classifyAifFault } from './aif-client.js';
export { ax2012Formats } from './ax2012-formats.js';
export { readAifText, normalizeAifText, AifFileError } from './read-aif-file.js';
export type { SoapVersion } from './soap-envelope.js';
