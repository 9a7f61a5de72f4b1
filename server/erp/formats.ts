import type { PayloadFormat } from './payload-format.js';
import { ax2012Formats } from './ax2012-aif/ax2012-formats.js';
import { d365Formats } from './d365-odata/d365-formats.js';
import { filesFormats } from './files/files-formats.js';
import { commerceMlFormats } from './onec-commerceml/commerceml-formats.js';
import { onecOdataFormats } from './onec-odata/onec-odata-formats.js';

/**
 * Every payload format the inspect CLI knows, in the order they are asked to recognise a file (the most specific
 * signatures first: XML by root element and namespace, JSON by odata.metadata / @odata.context, CSV last by name or
 * header row).
 */
export const payloadFormats: PayloadFormat[] = [...commerceMlFormats, ...ax2012Formats, ...onecOdataFormats, ...d365Formats, ...filesFormats];

export { ax2012Formats, commerceMlFormats, d365Formats, filesFormats, onecOdataFormats };
