/**
 * A Cache-Control value that forbids storing the response: its `no-store` directive (RFC 9111 §5.2.2.5),
 * as a directive of its own, not part of another word (`x-no-store-hint`). RFC 6749 §5.1 requires it on
 * every response that carries tokens.
 */
export function forbidsStoring(cacheControl: string | undefined): boolean {
  return !!cacheControl && /(^|[\s,])no-store($|[\s,;=])/i.test(cacheControl);
}
