export { SearchIndex, type SearchDoc, type SearchHit, type SearchKind, type SearchOptions, type SearchResult } from './search-index.js';
export { switchLayout, looksLikeWrongLayout } from './keyboard-layout.js';
export { normalizeText, normalizeCode, tokenize } from './normalize.js';
