/** Chrome DevTools `_resourceType` ↔ webRequest resource type. */
const FROM_DEVTOOLS: Record<string, string> = {
  document: 'main_frame',
  xhr: 'xmlhttprequest',
  fetch: 'fetch',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  font: 'font',
  media: 'media',
  ping: 'ping',
  websocket: 'websocket',
  preflight: 'other',
};

export function webRequestType(resourceType: string | undefined): string {
  return (resourceType && FROM_DEVTOOLS[resourceType]) ?? 'other';
}

export function devtoolsResourceType(type: string): string {
  if (type === 'main_frame' || type === 'sub_frame') return 'document';
  if (type === 'xmlhttprequest') return 'xhr';
  return Object.hasOwn(FROM_DEVTOOLS, type) ? type : 'other';
}
