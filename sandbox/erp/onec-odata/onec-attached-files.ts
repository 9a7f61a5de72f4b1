import { makeGuid, renderDocumentPdf, renderProductPicture, type GeneratedCatalog } from '../catalog/index.js';
import { arraySource, type Row, type RowSource } from './query-engine.js';
import type { EmDocument, OnecState } from './onec-state.js';

/**
 * БСП attached files as УТ 11 publishes them: a «…ПрисоединенныеФайлы» catalog per owner (product pictures, files of
 * sales and invoices) whose items describe a file, and InformationRegister_ДвоичныеДанныеФайлов whose record, keyed
 * by the file (`Файл` + `Файл_Type`), holds the bytes as `ДвоичныеДанныеФайла_Base64Data` — base64 wrapped at 76
 * characters with CRLF, as the platform writes it. Pictures are drawn on demand (real PNG bytes); each posted sale
 * and each invoice carries a one-page PDF.
 */

export const PICTURES_SET = 'Catalog_НоменклатураПрисоединенныеФайлы';
export const DOCUMENT_FILE_SETS: Record<EmDocument['set'], string> = {
  Document_РеализацияТоваровУслуг: 'Catalog_РеализацияТоваровУслугПрисоединенныеФайлы',
  Document_СчетНаОплатуКлиенту: 'Catalog_СчетНаОплатуКлиентуПрисоединенныеФайлы',
};
export const FILE_DATA_REGISTER = 'InformationRegister_ДвоичныеДанныеФайлов';
export const IN_INFOBASE = 'ВИнформационнойБазе';

const wrapBase64 = (bytes: Buffer) => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

export function buildAttachedFiles(state: OnecState, pictureRef: (productIndex: number, k: number) => string) {
  const cat: GeneratedCatalog = state.cat;

  // Picture ref → (product, number): built on first use by a file-data read, one pass over the catalog.
  let pictureIndex: Map<string, [number, number]> | null = null;
  const pictureOf = (ref: string) => {
    pictureIndex ??= new Map(allPictures().map(([i, k]) => [pictureRef(i, k), [i, k]]));
    return pictureIndex.get(ref.toLowerCase());
  };

  const fileRefOf = (d: EmDocument) => makeGuid(cat.seed, `file:${d.ref}`, 0);
  // Documents with a file, found again only when the infobase changed (the register's rows read it once per row).
  let filesAt = -1;
  let filed: EmDocument[] = [];
  const withFiles = () => {
    if (filesAt !== state.version()) {
      filed = state.documents.filter((d) => d.posted || d.set === 'Document_СчетНаОплатуКлиенту');
      filesAt = state.version();
    }
    return filed;
  };
  // Every picture as (product, number), in catalog order: the register's picture records.
  let pictureList: Array<[number, number]> | null = null;
  const allPictures = () => (pictureList ??= Array.from({ length: cat.productCount }, (_, p) => cat.product(p).pictures.map((_x, k) => [p, k] as [number, number])).flat());
  const documentPdf = (d: EmDocument) => renderDocumentPdf([
    d.set === 'Document_РеализацияТоваровУслуг' ? `UPD No. ${d.number}` : `Invoice No. ${d.number}`,
    `Date: ${d.date.slice(0, 10)}`,
    `Amount: ${d.amount} RUB, VAT ${d.vatAmount} RUB`,
    'Issued by the DealerHub 1C emulator',
  ]);

  const documentFileSource = (set: EmDocument['set']): RowSource => arraySource(DOCUMENT_FILE_SETS[set], () => withFiles().filter((d) => d.set === set).map((d) => ({
    Ref_Key: fileRefOf(d), DataVersion: 'AAAAAQAAAAA=', DeletionMark: false, Code: '', Description: `${d.number} от ${d.date.slice(0, 10)}`,
    Predefined: false, PredefinedDataName: '', ВладелецФайла_Key: d.ref, Расширение: 'pdf', ПутьКФайлу: '', Размер: documentPdf(d).length, ТипХраненияФайла: IN_INFOBASE,
  })), state.version, ['Ref_Key', 'ВладелецФайла_Key']);

  /** The bytes of a file by its catalog and ref, or null when there is no such file. */
  function fileBytes(type: string, ref: string): Buffer | null {
    if (type === PICTURES_SET) {
      const at = pictureOf(ref);
      if (!at) return null;
      const p = cat.product(at[0]);
      return renderProductPicture(p.sku, p.kind, at[1]);
    }
    const set = (Object.keys(DOCUMENT_FILE_SETS) as Array<EmDocument['set']>).find((s) => DOCUMENT_FILE_SETS[s] === type);
    const doc = set && withFiles().find((d) => d.set === set && fileRefOf(d) === ref.toLowerCase());
    return doc ? documentPdf(doc) : null;
  }

  const dataRow = (file: string, type: string, bytes: Buffer): Row => ({
    Файл: file, Файл_Type: `StandardODATA.${type}`, ДвоичныеДанныеФайла_Type: 'application/octet-stream', ДвоичныеДанныеФайла_Base64Data: wrapBase64(bytes),
  });

  /** The register's records, listable like any information register: document files first, then every picture. */
  const fileDataRows: RowSource = {
    name: FILE_DATA_REGISTER,
    size: () => withFiles().length + allPictures().length,
    row: (i) => {
      const docs = withFiles();
      const d = docs[i];
      if (d) return dataRow(fileRefOf(d), DOCUMENT_FILE_SETS[d.set], documentPdf(d));
      const [p, k] = allPictures()[i - docs.length] as [number, number];
      const product = cat.product(p);
      return dataRow(pictureRef(p, k), PICTURES_SET, renderProductPicture(product.sku, product.kind, k));
    },
    version: state.version,
  };

  /** A record by its key, `Файл='…', Файл_Type='StandardODATA.…'`, as `Register(…)` addresses it. */
  const fileDataRecord = (key: Record<string, string>): Row | null => {
    const file = (key.Файл ?? '').toLowerCase();
    const type = (key.Файл_Type ?? '').replace(/^StandardODATA\./, '');
    const bytes = fileBytes(type, file);
    return bytes ? dataRow(file, type, bytes) : null;
  };

  return {
    documentFileSets: (Object.keys(DOCUMENT_FILE_SETS) as Array<EmDocument['set']>).map((set) => ({ name: DOCUMENT_FILE_SETS[set], source: documentFileSource(set) })),
    fileDataRows,
    fileDataRecord,
  };
}
