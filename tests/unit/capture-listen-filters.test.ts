import { describe, expect, it } from 'vitest';
import { listenFilters, START_FILTERS, tokenPattern } from '../../utils/capture/listen-filters';
import { OPTIONAL_HOST_PERMISSIONS } from '../../wxt.config';

describe('listenFilters', () => {
  it('before anything is read, watches every origin the user may have granted (a waking request is never missed)', () => {
    expect(START_FILTERS.watch).toEqual([
      'https://*.cerner.com/*',
      'https://authorization.cerner.com/*',
      ...OPTIONAL_HOST_PERMISSIONS,
    ]);
    expect(START_FILTERS.auth).toEqual(['https://authorization.cerner.com/*']);
    expect(START_FILTERS.body).toContain('https://*/*token*');
    expect(START_FILTERS.body).toContain('http://localhost/*token*');
  });

  it('adds configured authorization servers (http too for local ones) and granted app origins', () => {
    const f = listenFilters(
      ['https://*.cerner.com/*', 'https://app.example.org/*', 'http://localhost/*'],
      ['Auth.Example.org', 'localhost'],
    );
    expect(f.auth).toEqual(['https://auth.example.org/*', 'https://localhost/*', 'http://localhost/*']);
    expect(f.watch).toEqual([
      'https://*.cerner.com/*',
      'https://auth.example.org/*',
      'https://localhost/*',
      'http://localhost/*',
      'https://app.example.org/*',
    ]);
    expect(f.body).toContain('https://app.example.org/*token*');
  });

  it('leaves out granted patterns a request filter cannot use or that are not web origins', () => {
    const f = listenFilters(['<all_urls>', 'ftp://files.example/*', 'https://*/*'], []);
    expect(f.watch).toEqual(['https://*.cerner.com/*', 'https://*/*']);
    expect(f.auth).toEqual([]);
  });
});

describe('token URLs', () => {
  it('builds the pattern from the origin part of a granted pattern', () => {
    expect(tokenPattern('https://app.example.org/app/*')).toBe('https://app.example.org/*token*');
    expect(tokenPattern('*://*.cerner.com/*')).toBe('*://*.cerner.com/*token*');
  });
});
