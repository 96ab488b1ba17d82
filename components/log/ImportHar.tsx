import { type DragEvent, useId, useState } from 'react';
import { errorMessage } from '../../utils/errors';
import { harTextFromZip, isZip } from '../../utils/har/zip';

export interface HarFile {
  fileName: string;
  text: string;
}

interface Props {
  onImport: (file: HarFile) => void;
  /** Called for problems found before anything is sent (unreadable or oversized file). */
  onError: (message: string) => void;
  busy?: boolean;
}

/** Files bigger than this are refused before reading: a DevTools HAR of a launch is a few MB at most. */
export const MAX_HAR_BYTES = 50 * 1024 * 1024;

/** FileReader rather than Blob.arrayBuffer(): it works in every page context, test DOMs included. */
function readBytes(file: File): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsArrayBuffer(file);
  });
}

/** The file's HAR text: UTF-8, or a Playwright `.zip` (the HAR and its bodies) read back into one. */
async function readText(file: File): Promise<string> {
  const bytes = await readBytes(file);
  return isZip(bytes) ? harTextFromZip(bytes, file.name) : new TextDecoder().decode(bytes);
}

/** "Import HAR" button plus a drop zone; reads the file and hands its text on. */
export function ImportHar({ onImport, onError, busy }: Props) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);

  const read = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_HAR_BYTES) {
      onError(
        `${file.name} is ${Math.round(file.size / 1048576)} MB; HAR files over 50 MB are not imported.`,
      );
      return;
    }
    try {
      onImport({ fileName: file.name, text: await readText(file) });
    } catch (error) {
      onError(`Could not read ${file.name}: ${errorMessage(error)}`);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void read(event.dataTransfer.files[0]);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; the file input is the keyboard path
    <div
      className="sld-import"
      data-dragging={dragging || undefined}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label
        htmlFor={inputId}
        className="sld-button"
        aria-disabled={busy || undefined}
        title="A HAR saved from DevTools, a proxy or a browser test, or the .zip Playwright's recordHar saves"
      >
        {/* The input carries the name: the visible words once in the accessibility tree, not twice. */}
        <span aria-hidden="true">{busy ? 'Importing…' : 'Import HAR'}</span>
      </label>
      <input
        id={inputId}
        aria-label={busy ? 'Importing HAR…' : 'Import HAR'}
        className="sld-visually-hidden"
        type="file"
        accept=".har,.json,.zip,application/json,application/zip"
        disabled={busy}
        onChange={(e) => {
          void read(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <span className="sld-muted sld-drop-hint">or drop a .har file here</span>
    </div>
  );
}
