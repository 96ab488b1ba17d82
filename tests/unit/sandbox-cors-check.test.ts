/** The Fetch-standard CORS check the sandbox's test browser applies to every cross-origin answer. */
import { describe, expect, it } from 'vitest';
import { type Credentials, corsAllows } from '../integration/sandbox-browser';
import type { Reply } from '../integration/sandbox-client';

const APP = 'https://app.example';
const reply = (headers: Record<string, string>): Reply => ({
  status: 200,
  headers,
  body: '',
  url: 'https://authorization.cerner.com/token',
  json: <T>() => ({}) as T,
});

describe('corsAllows', () => {
  it.each([
    ['ACAO *, no credentials', { 'access-control-allow-origin': '*' }, 'same-origin', true],
    [
      'ACAO *, credentials include (Oracle token endpoint)',
      { 'access-control-allow-origin': '*' },
      'include',
      false,
    ],
    [
      'origin reflected, credentials include, no Allow-Credentials',
      { 'access-control-allow-origin': APP },
      'include',
      false,
    ],
    [
      'origin reflected, credentials include, Allow-Credentials true',
      { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
      'include',
      true,
    ],
    ['another origin', { 'access-control-allow-origin': 'https://other.example' }, 'omit', false],
    ['no ACAO at all', {}, 'omit', false],
  ] as [string, Record<string, string>, Credentials, boolean][])(
    '%s → %s',
    (_name, headers, credentials, allowed) => {
      expect(corsAllows(reply(headers), APP, credentials)).toBe(allowed);
    },
  );
});
