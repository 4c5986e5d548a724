import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  netlifyHeaders,
  parseBase,
  parseConnectSrc,
  vercelConfig,
} from './headers.ts';

/** The policy as directive → sources. */
const directives = (csp: string) =>
  new Map(
    csp.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );

describe('the host header files', () => {
  it('public/_headers and vercel.json send exactly what the dev and preview servers send', () => {
    expect(readFileSync('public/_headers', 'utf8')).toBe(netlifyHeaders());
    expect(readFileSync('vercel.json', 'utf8')).toBe(vercelConfig());
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts from the app only, WebAssembly, no inline script, no framing, no plugins', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toContain('unsafe-inline');
    expect(contentSecurityPolicy()).not.toContain("'unsafe-eval'");
  });

  it('fetches from the app and the Hub, plus configured mirrors; dev alone relaxes', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual([
      "'self'",
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
    ]);
    const withMirror = directives(contentSecurityPolicy({ connectSrc: ['http://mirror.local:8080'] }));
    expect(withMirror.get('connect-src')).toContain('http://mirror.local:8080');
    const dev = directives(contentSecurityPolicy({ dev: true }));
    expect(dev.get('script-src')).toContain("'unsafe-inline'");
    expect(dev.get('connect-src')).toContain('ws:');
  });

  it('leaves frame-ancestors out of the <meta> variant, where browsers ignore it', () => {
    expect(directives(contentSecurityPolicy({ meta: true })).has('frame-ancestors')).toBe(false);
  });
});

describe('parseConnectSrc (LAB_CONNECT_SRC)', () => {
  it('reads origins separated by spaces or commas', () => {
    expect(parseConnectSrc(undefined)).toEqual({ ok: true, value: [] });
    expect(parseConnectSrc(' https://Mirror.example , http://127.0.0.1:* https://*.hf.co ')).toEqual({
      ok: true,
      value: ['https://mirror.example', 'http://127.0.0.1:*', 'https://*.hf.co'],
    });
  });

  it.each([
    "'unsafe-inline'",
    '*',
    'https://a.example; script-src *',
    'https://a.example/path',
    'javascript:alert(1)',
    'data:',
    'https://a.example:99999x',
    'https://user@a.example',
  ])('refuses %s, which would widen more than connect-src', (text) => {
    expect(parseConnectSrc(text).ok).toBe(false);
  });

  it('never lets a directive separator or quote through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseConnectSrc(text);
        if (parsed.ok) for (const s of parsed.value) expect(s).toMatch(/^[a-z0-9:/.*-]+$/);
      }),
    );
  });
});

describe('parseBase (LAB_BASE)', () => {
  it('normalises a sub-path to slashes at both ends', () => {
    expect(parseBase(undefined)).toEqual({ ok: true, value: '/' });
    expect(parseBase('/')).toEqual({ ok: true, value: '/' });
    expect(parseBase('some/path')).toEqual({ ok: true, value: '/some/path/' });
    expect(parseBase('/lab-v2.1/')).toEqual({ ok: true, value: '/lab-v2.1/' });
  });

  it.each([
    '/../etc/',
    '/a/./b/',
    '//evil.example/',
    'https://evil.example/lab/',
    '/lab?x=1',
    '/lab#frag',
    '/la b/',
    '/"><script>/',
    '/a//b/',
    '/%2e%2e/',
  ])('refuses %s', (text) => {
    expect(parseBase(text).ok).toBe(false);
  });

  it('always yields a path of safe segments between slashes', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseBase(text);
        if (parsed.ok) expect(parsed.value).toMatch(/^\/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*\/)*$/);
      }),
    );
  });
});
