import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect, promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotImplementedError } from '../src/errors.js';
import { normalizeUrl, resolveConstructor, supported, validateClose, validateProtocols } from '../src/support.js';
import type { WebSocketConstructor } from '../src/types.js';
import { thrown } from './helpers/thrown.js';

const run = promisify(execFile);

/** A stand-in constructor: resolveConstructor only checks that it is a function. */
class FakeSocket {
  constructor(readonly url: string) {}
}
const FakeCtor = FakeSocket as unknown as WebSocketConstructor;

describe('normalizeUrl: accepted hosts', () => {
  it.each([
    ['ws://localhost:8080/chat', 'ws://localhost:8080/chat'],
    ['wss://example.test/a/b?x=1&y=2', 'wss://example.test/a/b?x=1&y=2'],
    ['http://example.test/feed?room=7', 'ws://example.test/feed?room=7'],
    ['https://example.test:8443/feed', 'wss://example.test:8443/feed'],
    // ws: and wss: go to the constructor exactly as given, as RxJS hands them over
    ['ws://example.test', 'ws://example.test'],
    ['WS://Example.TEST:8080/p', 'WS://Example.TEST:8080/p'],
    ['HTTP://Example.TEST:80/p', 'ws://example.test/p'],
    ['https://example.test:443', 'wss://example.test/'],
    ['ws://127.0.0.1:9000', 'ws://127.0.0.1:9000'],
    ['ws://[::1]:9000/x', 'ws://[::1]:9000/x'],
  ])('%s -> %s', (host, expected) => {
    expect(normalizeUrl(host)).toBe(expected);
  });

  it('accepts a URL object and keeps path and query', () => {
    expect(normalizeUrl(new URL('https://example.test/p/q?a=1'))).toBe('wss://example.test/p/q?a=1');
    expect(normalizeUrl(new URL('ws://example.test:1234/'))).toBe('ws://example.test:1234/');
  });

  it('does not change the URL object it is given', () => {
    const url = new URL('http://example.test/p');
    normalizeUrl(url);
    expect(url.href).toBe('http://example.test/p');
  });
});

describe('normalizeUrl: rejected hosts (ERR_WS_INVALID_URL)', () => {
  it.each([
    ['a relative path', '/chat'],
    ['a host without a scheme (parses as the scheme "localhost:")', 'localhost:8080'],
    ['ftp:', 'ftp://example.test/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a fragment', 'ws://h/#x'],
    ['an empty fragment', 'ws://h/#'],
    ['a fragment on http:', 'http://h/p?q#x'],
    ['the empty string', ''],
    ['blanks', '   '],
    ['a bare ws://', 'ws://'],
    ['a bare http://', 'http://'],
  ])('rejects %s: %j', (_, host) => {
    const error = thrown(() => normalizeUrl(host));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.name).toBe('WebSocketError');
  });

  it.each([
    ['a number', 42, 'got 42'],
    ['null', null, 'got null'],
    ['a plain object', {}, 'got a plain object'],
    ['undefined', undefined, 'got undefined'],
  ])('rejects %s, naming what it got', (_, host, got) => {
    const error = thrown(() => normalizeUrl(host));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toContain('must be a string or a URL');
    expect(error.message).toContain(got);
  });

  it('says what to do, with a ws:// example', () => {
    for (const host of ['/chat', 'localhost:8080', 'ftp://h/', '']) {
      expect(thrown(() => normalizeUrl(host)).message).toContain('ws://localhost:8080');
    }
    expect(thrown(() => normalizeUrl('localhost:8080')).message).toMatch(/scheme.*\bws:.*\bwss:/);
    expect(thrown(() => normalizeUrl('ws://h/#x')).message).toMatch(/remove the fragment/);
    expect(thrown(() => normalizeUrl(42)).message).toMatch(/must be a string or a URL/);
  });

  it('does not keep the parser error as the cause (it quotes the input, credentials included)', () => {
    const error = thrown(() => normalizeUrl('/chat'));
    expect(error.cause).toBeUndefined();
  });
});

describe('normalizeUrl: the quoting rule (a URL with "@" is never quoted; any other is)', () => {
  // Every way a URL without "@" fails: the input is quoted, as given.
  it.each([
    ['not absolute', '/chat'],
    ['not absolute (unparseable)', 'ws://exa mple.test/'],
    ['a port out of range', 'ws://example.test:99999/'],
    ['another scheme', 'ftp://example.test/'],
    ['another scheme, in capitals (quoted as typed)', 'FTP://Example.TEST/'],
    ['no scheme', 'localhost:8080'],
    ['a fragment', 'ws://example.test/chat#top'],
    ['an empty fragment', 'wss://example.test/#'],
    ['the empty string', ''],
  ])('without "@", quotes the input: %s', (_, host) => {
    const error = thrown(() => normalizeUrl(host));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toContain(JSON.stringify(host));
  });

  it('quotes a URL object by its href', () => {
    expect(thrown(() => normalizeUrl(new URL('ftp://example.test/p'))).message).toContain('"ftp://example.test/p"');
  });

  // With "@" anywhere, the URL may hold credentials: no part of it is shown, only the reason.
  it.each([
    ['credentials, another scheme', 'ftp://user:s3cret@example.test/', /scheme/],
    ['credentials, a fragment', 'ws://user:s3cret@example.test/#top', /fragment/],
    ['credentials, no scheme ("user:" parses as one)', 'user:s3cret@example.test', /scheme/],
    ['credentials, unparseable', 'ws://user:s3cret@exa mple.test/', /absolute/],
    ['credentials, a port out of range', 'ws://user:s3cret@example.test:99999/', /absolute/],
    ['credentials, no host', 'ws://user:s3cret@', /absolute|host/],
    ['a user only', 'ftp://user@example.test/', /scheme/],
    ['percent-encoded credentials', 'ws://us%65r:s3cr%65t@example.test/#f', /fragment/],
    ['a password holding "#" (the URL does not parse)', 'ws://user:s3#cret@example.test/', /absolute|fragment/],
    ['"@" in the path only', 'ws://example.test/user@s3cret#f', /fragment/],
    ['"@" in the query only', 'ftp://example.test/?user=s3cret@x', /scheme/],
  ])('with "@", quotes nothing of the URL: %s', (_, host, why) => {
    const error = thrown(() => normalizeUrl(host));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toMatch(why);
    for (const part of ['s3cret', 's3cr%65t', 's3#cret', 'user', 'us%65r', 'example.test', 'exa mple', '@']) {
      expect(error.message, part).not.toContain(part);
    }
    expect(error.cause).toBeUndefined();
    expect(inspect(error, { depth: 5 })).not.toMatch(/s3c|user|us%65r|example\.test/);
  });

  it('with "@", a URL object is not quoted either', () => {
    const error = thrown(() => normalizeUrl(new URL('ftp://user:s3cret@example.test/')));
    expect(error.message).not.toMatch(/s3cret|user|example\.test/);
    expect(error.message).toMatch(/scheme/);
  });

  it('a valid URL with credentials is returned whole (they are for the server), http: mapped to ws:', () => {
    expect(normalizeUrl('ws://user:s3cret@example.test/p')).toBe('ws://user:s3cret@example.test/p');
    expect(normalizeUrl('https://user:s3cret@example.test/p')).toBe('wss://user:s3cret@example.test/p');
  });

  it('a host that is not a string or a URL is described, never shown', () => {
    const error = thrown(() => normalizeUrl({ href: 'ws://user:s3cret@example.test/' }));
    expect(error.message).toContain('got a plain object');
    expect(error.message).not.toMatch(/s3cret|user|example/);
  });
});

describe('normalizeUrl: never shows credentials', () => {
  it.each([
    ['ftp://user:secret@host/'],
    ['ws://user:secret@h/#frag'],
    ['user:secret@host'],
    [new URL('ftp://u:secret@h')],
    ['ws://user:secret@'],
    ['ws://user:secret@h:99999/'],
  ])('%s', (host) => {
    const error = thrown(() => normalizeUrl(host));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).not.toContain('secret');
    expect(error.message).not.toContain('user:');
    expect(error.message).not.toContain('u:');
  });

  it('not in a password holding "#" either (common in passwords; the URL does not parse)', () => {
    const error = thrown(() => normalizeUrl('ws://user:pa#ss@h/'));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).not.toContain('pa#ss');
    expect(error.message).not.toContain('user:');
  });

  it('not in the error as logged, cause included', () => {
    const error = thrown(() => normalizeUrl('ws://user:secret@h:99999/'));
    expect(inspect(error, { depth: 5 })).not.toContain('secret');
  });
});

describe('validateProtocols', () => {
  it('passes undefined, a string and an array of tokens through', () => {
    expect(validateProtocols(undefined)).toBeUndefined();
    expect(validateProtocols('chat')).toBe('chat');
    expect(validateProtocols(['chat.v2', 'chat.v1'])).toEqual(['chat.v2', 'chat.v1']);
    expect(validateProtocols([])).toEqual([]);
    expect(validateProtocols("!#$%&'*+-.^_`|~09AZaz")).toBe("!#$%&'*+-.^_`|~09AZaz");
  });

  it('returns a copy of an array, not the caller’s array', () => {
    const list = ['a', 'b'];
    const result = validateProtocols(list);
    expect(result).toEqual(['a', 'b']);
    expect(result).not.toBe(list);
  });

  it.each([
    ['a space', 'a b'],
    ['a comma', 'a,b'],
    ['the empty string', ''],
    ['a non-ASCII letter', 'é'],
    ['a separator', 'a/b'],
    ['a number', 42],
    ['an invalid token in an array', ['ok', 'a b']],
    ['a number in an array', ['ok', 42]],
    ['an object', {}],
    ['null', null],
  ])('rejects %s with ERR_WS_INVALID_ARGUMENT', (_, protocols) => {
    const error = thrown(() => validateProtocols(protocols));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
  });

  it('explains a bad token with an example', () => {
    expect(thrown(() => validateProtocols('a b')).message).toContain('invalid subprotocol "a b"');
    expect(thrown(() => validateProtocols('a b')).message).toMatch(/token/);
    expect(thrown(() => validateProtocols(42)).message).toContain('must be a string or an array of strings, got 42');
  });

  it('rejects a duplicate, naming it', () => {
    const error = thrown(() => validateProtocols(['a', 'b', 'a']));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('"a"');
    expect(error.message).toMatch(/twice/);
  });

  it('treats protocols as case-sensitive (no duplicate across case)', () => {
    expect(validateProtocols(['chat', 'CHAT'])).toEqual(['chat', 'CHAT']);
  });
});

describe('validateClose', () => {
  it.each([1000, 3000, 4000, 4999])('accepts code %d', (code) => {
    expect(() => validateClose(code, '')).not.toThrow();
  });

  it.each([
    0,
    999,
    1001,
    1005,
    1006,
    1015,
    2999,
    5000,
    -1000,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1000.5,
    '1000',
    null,
    undefined,
  ])('rejects code %s with ERR_WS_INVALID_CLOSE', (code) => {
    const error = thrown(() => validateClose(code, ''));
    expect(error.code).toBe('ERR_WS_INVALID_CLOSE');
    // The valid codes: 1000, or 3000 to 4999.
    expect(error.message).toMatch(/\b1000\b/);
    expect(error.message).toMatch(/\b3000\b/);
    expect(error.message).toMatch(/\b4999\b/);
  });

  it('accepts a reason of exactly 123 UTF-8 bytes', () => {
    expect(() => validateClose(1000, 'a'.repeat(123))).not.toThrow();
    const twoByte = 'é'.repeat(61) + 'a';
    expect(Buffer.byteLength(twoByte)).toBe(123);
    expect(() => validateClose(1000, twoByte)).not.toThrow();
    const astral = '😀'.repeat(30) + 'abc';
    expect(Buffer.byteLength(astral)).toBe(123);
    expect(() => validateClose(4000, astral)).not.toThrow();
    const threeByte = '€'.repeat(41);
    expect(Buffer.byteLength(threeByte)).toBe(123);
    expect(() => validateClose(3000, threeByte)).not.toThrow();
  });

  it.each([
    ['124 ASCII characters', 'a'.repeat(124)],
    ['62 × "é" (62 characters, 124 bytes)', 'é'.repeat(62)],
    ['31 × "😀" (62 UTF-16 units, 124 bytes)', '😀'.repeat(31)],
    ['42 × "€" (126 bytes)', '€'.repeat(42)],
    ['41 lone surrogates and one letter (124 bytes once encoded)', '\ud800'.repeat(41) + 'a'],
  ])('rejects a reason of %s with ERR_WS_INVALID_CLOSE', (_, reason) => {
    expect(Buffer.byteLength(reason)).toBeGreaterThan(123);
    const error = thrown(() => validateClose(1000, reason));
    expect(error.code).toBe('ERR_WS_INVALID_CLOSE');
    expect(error.message).toContain(`${Buffer.byteLength(reason)} bytes`);
    expect(error.message).toMatch(/UTF-8/);
    expect(error.message).toMatch(/\b123\b/);
  });

  it('counts bytes as the UTF-8 encoder does', () => {
    const pieces = ['a', 'é', '€', '😀', '\ud800', '\udc00', '\ud83d', 'z'];
    for (const a of pieces) {
      for (const b of pieces) {
        const reason = (a + b).repeat(20);
        const bytes = Buffer.byteLength(reason);
        if (bytes <= 123) expect(() => validateClose(1000, reason)).not.toThrow();
        else expect(thrown(() => validateClose(1000, reason)).message).toContain(`${bytes} bytes`);
      }
    }
  });

  it('rejects a reason that is not a string', () => {
    const error = thrown(() => validateClose(1000, 42));
    expect(error.code).toBe('ERR_WS_INVALID_CLOSE');
    expect(error.message).toMatch(/reason/);
    expect(error.message).toMatch(/\bstring\b/);
    expect(error.message).toContain('got 42');
  });
});

describe('resolveConstructor', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('returns the constructor it is given, even when a global exists', () => {
    class Other extends FakeSocket {}
    vi.stubGlobal('WebSocket', Other);
    expect(resolveConstructor(FakeCtor)).toBe(FakeCtor);
  });

  it.each([
    ['a string', 'ws', 'got "ws"'],
    ['an object', {}, 'got a plain object'],
    ['null', null, 'got null'],
    ['a number', 1, 'got 1'],
  ])('rejects %s with ERR_WS_INVALID_ARGUMENT, pointing at the ws package', (_, ctor, got) => {
    const error = thrown(() => resolveConstructor(ctor as unknown as WebSocketConstructor));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('options.WebSocketCtor');
    expect(error.message).toMatch(/WebSocket (class|constructor)/);
    expect(error.message).toMatch(/\bws\b/);
    expect(error.message).toContain(got);
  });

  it('uses the global WebSocket when none is given', () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    expect(resolveConstructor(undefined)).toBe(FakeSocket);
  });

  it('ignores a global WebSocket that is not a function', () => {
    vi.stubGlobal('WebSocket', {});
    expect(thrown(() => resolveConstructor(undefined))).toBeInstanceOf(NotImplementedError);
  });

  it('throws NotImplementedError (ERR_WS_UNSUPPORTED) without a global, saying what to pass', () => {
    vi.stubGlobal('WebSocket', undefined);
    const error = thrown(() => resolveConstructor(undefined));
    expect(error).toBeInstanceOf(NotImplementedError);
    expect(error.name).toBe('NotImplementedError');
    expect(error.code).toBe('ERR_WS_UNSUPPORTED');
    expect(error.message).toContain('options.WebSocketCtor');
    // Where to get one: the ws package, or a runtime that has it.
    expect(error.message).toMatch(/'ws'|\bws\b/);
    expect(error.message).toMatch(/Node 22|--experimental-websocket/);
  });
});

describe('supported', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('is a boolean that matches the global at load', () => {
    expect(typeof supported).toBe('boolean');
    expect(supported).toBe(typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function');
  });

  it('is computed once, when the module loads (a fresh load sees the global, the old binding does not move)', async () => {
    const before = supported;
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.resetModules();
    const withGlobal = await import('../src/support.js');
    expect(withGlobal.supported).toBe(true);
    expect(supported).toBe(before);

    vi.stubGlobal('WebSocket', undefined);
    vi.resetModules();
    const without = await import('../src/support.js');
    expect(without.supported).toBe(false);
    expect(withGlobal.supported).toBe(true);
  });

  describe('in a child Node process, from the built dist/index.js', () => {
    const distEsm = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `import(${JSON.stringify(pathToFileURL(distEsm).href)}).then((m) => console.log(String(m.supported)))`;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;

    async function supportedIn(flags: string[]): Promise<string> {
      if (!existsSync(distEsm)) throw new Error(`${distEsm} is missing: run \`npx tsup\` (npm test builds it first)`);
      const { stdout } = await run(process.execPath, [...flags, '-e', script], { env });
      return stdout;
    }

    it('is false without a global WebSocket (Node 20, or --no-experimental-websocket)', async () => {
      await expect(supportedIn(['--no-experimental-websocket'])).resolves.toBe('false\n');
    });

    it('is true with a global WebSocket (--experimental-websocket)', async () => {
      await expect(supportedIn(['--experimental-websocket'])).resolves.toBe('true\n');
    });

    it('on plain Node: false on Node 20, true from Node 22', async () => {
      const major = Number(process.versions.node.split('.')[0]);
      await expect(supportedIn([])).resolves.toBe(major >= 22 ? 'true\n' : 'false\n');
    });
  });
});
