import type { InboundBatches } from './port.js';

/**
 * A file format an adapter can read (1C OData JSON, CommerceML XML, AIF XML, D365 OData JSON, drop-folder CSV).
 * `npm run erp -- inspect <file>` asks every registered format whether it recognises the file, then maps it into
 * the normalized batches. Each adapter folder exports its formats; server/erp/formats.ts lists them all.
 */
export interface PayloadFormat {
  /** e.g. "1c-odata", "commerceml-2.07", "commerceml-3.1", "ax2012-aif", "d365-odata", "files-csv". */
  id: string;
  /**
   * Looks at the first bytes (up to 64 KiB, possibly windows-1251) and the file name; returns the precise format id
   * (with version) when it recognises the file, else null.
   */
  detect(head: Buffer, fileName: string): string | null;
  /** Maps the whole file (streamed where the format can be large) into normalized batches. */
  read(filePath: string): Promise<Partial<InboundBatches> & { customers?: unknown[]; orderLines?: unknown[]; documents?: unknown[] }>;
}
