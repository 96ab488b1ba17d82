/** Tiny HTML helpers: every interpolated value goes through `esc`. */

export function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

/** JSON safe to embed inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}code{background:#f3f3f3;padding:0 .2rem}
a.launch,button{display:inline-block;margin:.1rem;padding:.2rem .6rem;border:1px solid #36c;border-radius:3px;background:#eef3ff;color:#036;text-decoration:none}
.error{color:#a00}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}
