import { readFile } from 'node:fs/promises';
import type { PayloadFormat } from '../payload-format.js';
import { looksLikeAif, readAifText } from './read-aif-file.js';

/** Saved AX 2012 AIF messages (document service requests/answers, our custom services' answers) for the inspect CLI. */
export const ax2012Formats: PayloadFormat[] = [
  {
    id: 'ax2012-aif',
    detect: (head) => (looksLikeAif(head) ? 'ax2012-aif' : null),
    async read(filePath) {
      return readAifText(await readFile(filePath, 'utf8'));
    },
  },
];
