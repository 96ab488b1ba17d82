/**
 * A HAR saved as a ZIP archive, as Playwright's `recordHar` writes it to a `.zip` path: the HAR itself
 * (`har.har`) with each response body in a file of its own, named by the body's `content._file`. Read
 * back into one HAR text, the bodies in place, so that the import reads it like any other HAR.
 */
import { unzipSync } from 'fflate';
import { HarImportError, MAX_HAR_CHARS } from './import';

/** A ZIP's local file header: "PK\x03\x04". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Bodies larger than this are not put back: the import keeps a few hundred KB of a body at most. */
const MAX_BODY_BYTES = 1024 * 1024;

const TEXT_TYPE = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|x-www-form-urlencoded))/i;

interface Content {
  mimeType?: unknown;
  text?: unknown;
  encoding?: unknown;
  _file?: unknown;
}

/** The HAR text of a Playwright `.zip`, its attached bodies put back; HarImportError when it holds none. */
export function harTextFromZip(bytes: Uint8Array, fileName: string): string {
  let har: Uint8Array | undefined;
  try {
    const found = unzipSync(bytes, {
      filter: (f) => f.name.toLowerCase().endsWith('.har') && f.originalSize <= MAX_HAR_CHARS,
    });
    har = Object.values(found)[0];
  } catch (error) {
    throw new HarImportError(
      `${fileName} is a ZIP archive that cannot be read (${(error as Error).message}).`,
    );
  }
  if (!har)
    throw new HarImportError(
      `${fileName} is a ZIP archive without a .har file of at most ${MAX_HAR_CHARS / 1024 / 1024} MB in it.`,
    );
  const text = new TextDecoder().decode(har);
  let json: { log?: { entries?: { request?: { postData?: Content }; response?: { content?: Content } }[] } };
  try {
    json = JSON.parse(text);
  } catch {
    // The import says what is wrong with it.
    return text;
  }
  const entries = Array.isArray(json.log?.entries) ? json.log.entries : [];
  const attached = (c: Content | undefined): c is Content & { _file: string } =>
    !!c && typeof c._file === 'string' && c.text === undefined;
  const wanted = new Set<string>();
  for (const e of entries) {
    for (const c of [e?.response?.content, e?.request?.postData]) if (attached(c)) wanted.add(c._file);
  }
  if (wanted.size === 0) return text;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => wanted.has(f.name) && f.originalSize <= MAX_BODY_BYTES });
  } catch {
    // Bodies that cannot be inflated are left out, as a HAR saved without them: the requests still read.
    return text;
  }
  for (const e of entries) {
    for (const c of [e?.response?.content, e?.request?.postData]) {
      if (!attached(c)) continue;
      const data = files[c._file];
      if (!data) continue;
      if (typeof c.mimeType === 'string' && TEXT_TYPE.test(c.mimeType))
        c.text = new TextDecoder().decode(data);
      else {
        let bin = '';
        for (let i = 0; i < data.length; i += 0x8000)
          bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
        c.text = btoa(bin);
        c.encoding = 'base64';
      }
    }
  }
  return JSON.stringify(json);
}
