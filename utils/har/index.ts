export { type ExportOptions, exportFileName, launchToHar, launchToHarText, launchToJson } from './export';
export { HarImportError, importHar, MAX_HAR_CHARS } from './import';
export { supportSnippet } from './snippet';
