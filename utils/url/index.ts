export {
  collectWarnings,
  decodeUrl,
  findParamDeep,
  findParamValueDeep,
  getParam,
  hasParam,
  lazyDecodeUrl,
  MAX_NESTING_DEPTH,
  nestedUrl,
} from './decode';
export { decodeComponent, looksEncoded } from './percent';
export { formValue, MAX_PARAMS, MAX_VALUE_CHARS, parseQuery } from './query';
export { hostname, originOf, splitUrl } from './split';
