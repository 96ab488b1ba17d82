import { z } from 'zod';

/**
 * HAR 1.2 as Chrome DevTools writes it ("Save all as HAR"), validated only as far as we read it;
 * unknown and `_`-prefixed fields (Chrome's `_initiator`, `_resourceType`, `_error`…) pass through.
 */

const header = z.looseObject({ name: z.string(), value: z.string() });

/** HAR's parsed cookies (request.cookies, response.cookies); only names and values are read. */
const cookie = z.looseObject({ name: z.string(), value: z.string().optional() });

/** A list some tools write as null when empty: read as empty. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === null ? undefined : v), z.array(item).default([]));

/** An HTTP status some tools write as text ("302"): read as the number. */
const status = z.preprocess(
  (v) => (typeof v === 'string' && /^\d{1,3}$/.test(v.trim()) ? Number(v) : v),
  z.number(),
);

const postData = z.looseObject({
  mimeType: z.string().optional(),
  text: z.string().optional(),
  params: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).optional(),
});

export const harEntrySchema = z.looseObject({
  // A time the entry can be placed by: Safari writes "" for a resource it has no time for.
  startedDateTime: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date and time'),
  time: z.number().optional(),
  request: z.looseObject({
    method: z.string(),
    // HAR 1.2: "absolute URL of the request (fragments are not included)"; data:, blob: and the like too.
    url: z.string().refine((s) => /^[a-z][a-z0-9+.-]*:/i.test(s), 'not an absolute URL'),
    headers: list(header),
    cookies: z.array(cookie).optional(),
    postData: postData.optional(),
  }),
  response: z.looseObject({
    status,
    statusText: z.string().optional(),
    headers: list(header),
    cookies: z.array(cookie).optional(),
    content: z
      .looseObject({
        mimeType: z.string().optional(),
        text: z.string().optional(),
        encoding: z.string().optional(),
      })
      .optional(),
    redirectURL: z.string().optional(),
    _error: z.string().nullable().optional(),
    /** Playwright's reason for a request that got no answer (its status is then -1). */
    _failureText: z.string().nullable().optional(),
  }),
  _resourceType: z.string().optional(),
  _initiator: z.unknown().optional(),
});

export const harSchema = z.looseObject({
  log: z.looseObject({
    version: z.string(),
    creator: z.looseObject({ name: z.string(), version: z.string().optional() }).optional(),
    // Checked one by one (utils/har/import.ts): a malformed entry is skipped, not the whole file.
    entries: z.array(z.unknown()),
  }),
});

export type HarEntry = z.infer<typeof harEntrySchema>;
export type HarFile = z.infer<typeof harSchema>;
export type HarHeader = z.infer<typeof header>;
