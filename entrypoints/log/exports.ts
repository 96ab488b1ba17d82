import type { ExportFormat } from '../../components/launch/LaunchDetail';
import type { Launch } from '../../utils/model';

export interface ExportFile {
  fileName: string;
  mimeType: string;
  text: string;
}

// Pending utils/har/export.ts and utils/har/snippet.ts: until then the buttons report that plainly.
export function exportLaunch(_launch: Launch, format: ExportFormat): ExportFile {
  throw new Error(`${format.toUpperCase()} export is not available in this build.`);
}

export function supportSnippet(_launch: Launch): string {
  throw new Error('The support snippet is not available in this build.');
}
