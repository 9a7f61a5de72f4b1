export { createFilesConnector, type FilesConnector, type FilesConnectorDeps, type InboxReport } from './create-files-connector.js';
export { createLocalDropFolder, DropFolderError, type DropFolder, type DropArea, type DropEntry } from './drop-folder.js';
export { filesFormats } from './files-formats.js';
export { FILE_PATTERNS, REQUIRED_COLUMNS, type FileEntity } from './file-entities.js';
