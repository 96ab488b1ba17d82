import { describe, expect, it } from 'vitest';
import { originMatches, permitted } from '../../utils/diagnose/permissions';

describe('host permission patterns against origins', () => {
  it.each([
    ['https://*.cerner.com/*', 'https://authorization.cerner.com', true],
    ['https://*.cerner.com/*', 'https://cerner.com', true],
    ['https://*.cerner.com/*', 'http://authorization.cerner.com', false],
    ['http://127.0.0.1/*', 'http://127.0.0.1:43179', true],
    ['http://127.0.0.1:5173/*', 'http://127.0.0.1:5173', true],
    // A granted port is that port only: another server on the same host is not watched.
    ['http://127.0.0.1:5173/*', 'http://127.0.0.1:43179', false],
    ['https://app.example:443/*', 'https://app.example', true],
    ['http://localhost/*', 'http://LocalHost:8080', true],
    ['<all_urls>', 'https://anything.example', true],
  ])('%s ~ %s → %s', (pattern, origin, expected) => {
    expect(originMatches(pattern, origin)).toBe(expected);
  });

  it('permitted() is any pattern matching', () => {
    expect(permitted(['http://127.0.0.1:5173/*', 'https://*.cerner.com/*'], 'http://127.0.0.1:9000')).toBe(
      false,
    );
  });
});
