import { describe, expect, test } from 'vitest';
import { InputError } from '@gantry/action-kit';
import { parseChecks } from '@gantry/probe';

const URL_EXPECTED = 'an absolute http:// or https:// URL such as https://example.com/health';
const KEYS = 'name, url, tcp, method, headers, body, expect-status, body-regex, json, headers-match, max-latency, min-cert-days, insecure-tls';

describe('parseChecks', () => {
  test('the quick form is one GET check named after host and path, with the defaults', () => {
    expect(parseChecks({ url: ' https://api.example.com:8443/health?x=1 ' }, { maxLatencyMs: 500, headers: { accept: 'application/json' } })).toEqual([
      {
        kind: 'http',
        name: 'api.example.com:8443/health',
        url: 'https://api.example.com:8443/health?x=1',
        method: 'GET',
        headers: { accept: 'application/json' },
        expectStatus: [[200, 399]],
        json: [],
        responseHeaders: [],
        maxLatencyMs: 500,
      },
    ]);
    expect(parseChecks({ url: 'http://example.com' })[0]!.name).toBe('example.com');
  });

  test('a checks list reads every key, and plain URLs and tcp entries', () => {
    const checks = parseChecks({
      checks: `
- name: api
  url: https://example.com/api/health
  method: post
  headers: { Authorization: Bearer abc, X-Count: 3 }
  body: { ping: true }
  expect-status: 200,204,300-399
  body-regex: '"status":\\s*"ok"'
  json: ['$.status == "ok"', '$.checks.db.latencyMs <= 50', '$.items[0]["id"] exists']
  headers-match: { X-Version: '^1\\.', ETag: null }
  max-latency: 300ms
  min-cert-days: 14
  insecure-tls: true
- http://example.com/ping
- tcp: db.internal:5432
  max-latency: 1s
`,
    });
    expect(checks).toEqual([
      {
        kind: 'http',
        name: 'api',
        url: 'https://example.com/api/health',
        method: 'POST',
        headers: { 'content-type': 'application/json', Authorization: 'Bearer abc', 'X-Count': '3' },
        body: '{"ping":true}',
        expectStatus: [[200, 200], [204, 204], [300, 399]],
        bodyRegex: '"status":\\s*"ok"',
        json: [
          { path: '$.status', op: '==', value: 'ok', text: '$.status == "ok"' },
          { path: '$.checks.db.latencyMs', op: '<=', value: 50, text: '$.checks.db.latencyMs <= 50' },
          { path: '$.items[0]["id"]', op: 'exists', text: '$.items[0]["id"] exists' },
        ],
        responseHeaders: [{ name: 'X-Version', pattern: '^1\\.' }, { name: 'ETag' }],
        maxLatencyMs: 300,
        minCertDays: 14,
        insecureTls: true,
      },
      { kind: 'http', name: 'example.com/ping', url: 'http://example.com/ping', method: 'GET', headers: {}, expectStatus: [[200, 399]], json: [], responseHeaders: [] },
      { kind: 'tcp', name: 'db.internal:5432', host: 'db.internal', port: 5432, maxLatencyMs: 1000 },
    ]);
  });

  const cases: Array<[string, { url?: string; checks?: string }, string]> = [
    ['nothing', {}, `Input "url" has the value "": expected ${URL_EXPECTED}, or a checks list.`],
    ['both inputs', { url: 'http://a', checks: '- http://b' }, 'Input "checks" has the value "- http://b": expected either url or checks, not both.'],
    ['a malformed URL', { url: 'http//example.com' }, `Input "url" has the value "http//example.com": expected ${URL_EXPECTED}.`],
    ['a non-http scheme', { url: 'ftp://example.com/x' }, `Input "url" has the value "ftp://example.com/x": expected ${URL_EXPECTED}.`],
    ['YAML that is no list', { checks: 'url: http://a' }, 'Input "checks" has the value "url: http://a": expected a YAML list of checks, each a URL or a mapping with url or tcp: host:port.'],
    ['broken YAML', { checks: '- [' }, 'Input "checks" has the value "- [": expected a YAML list of checks (Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 4).'],
    ['a check with no URL', { checks: '- name: api\n  method: GET' }, 'Input "checks" has the value "api": expected a url or tcp: host:port in every check (in check "api").'],
    ['an unnamed check with no URL', { checks: '- http://a\n- method: GET' }, 'Input "checks" has the value "check 2": expected a url or tcp: host:port in every check (in check 2).'],
    ['a bad URL in a list', { checks: '- url: mailto:x@example.com' }, `Input "checks" has the value "mailto:x@example.com": expected ${URL_EXPECTED} (in check 1).`],
    ['an unknown key', { checks: '- url: http://a\n  timeout: 5s' }, `Input "checks" has the value "timeout": expected one of the keys ${KEYS} (in check 1).`],
    ['url and tcp', { checks: '- url: http://a\n  tcp: a:1' }, 'Input "checks" has the value "check 1": expected either url or tcp in one check, not both (in check 1).'],
    ['an http key on tcp', { checks: '- tcp: a:1\n  method: GET' }, 'Input "checks" has the value "method": expected only the keys name, tcp, max-latency in a tcp check (in check 1).'],
    ['a bad tcp target', { checks: '- tcp: db:99999' }, 'Input "checks" has the value "db:99999": expected host:port with a port from 1 to 65535 (in check 1).'],
    ['a bad regex', { checks: '- url: http://a\n  body-regex: "(ok"' }, 'Input "checks" has the value "(ok": expected a valid regular expression (in check 1).'],
    ['a bad header regex', { checks: '- url: http://a\n  headers-match: { X-A: "[" }' }, 'Input "checks" has the value "[": expected a valid regular expression (in check 1).'],
    ['a bad JSON assertion', { checks: "- url: http://a\n  json: ['$.status = ok']" }, 'Input "checks" has the value "$.status = ok": expected a JSON assertion such as $.status == "ok", $.count >= 1 or $.id exists (in check 1).'],
    ['an unquoted JSON value', { checks: "- url: http://a\n  json: '$.status == ok'" }, 'Input "checks" has the value "$.status == ok": expected a JSON assertion such as $.status == "ok", $.count >= 1 or $.id exists (in check 1).'],
    ['a bad status set', { checks: '- url: http://a\n  expect-status: 200-1xx' }, 'Input "checks" has the value "200-1xx": expected status codes and ranges such as 200,204,300-399 (in check 1).'],
    ['a bare-number latency', { checks: '- url: http://a\n  max-latency: 300' }, 'Input "checks" has the value "300": expected a duration such as 300ms or 1s (in check 1).'],
    ['negative cert days', { checks: '- url: http://a\n  min-cert-days: -1' }, 'Input "checks" has the value "-1": expected a whole number of days (in check 1).'],
    ['a non-boolean insecure-tls', { checks: '- url: http://a\n  insecure-tls: maybe' }, 'Input "checks" has the value "maybe": expected true or false (in check 1).'],
    ['a bad method', { checks: '- url: http://a\n  method: GET /x' }, 'Input "checks" has the value "GET /x": expected an HTTP method such as GET, HEAD or POST (in check 1).'],
    ['headers as a list', { checks: '- url: http://a\n  headers: [a]' }, 'Input "checks" has the value "a list": expected a mapping of header names to values (in check 1).'],
    ['duplicate names', { checks: '- name: a\n  url: http://x\n- name: a\n  url: http://y' }, 'Input "checks" has the value "a": expected a different name for each check (set name: on one of them).'],
    ['duplicate derived names', { checks: '- http://x/a\n- url: http://x/a\n  method: HEAD' }, 'Input "checks" has the value "x/a": expected a different name for each check (set name: on one of them).'],
  ];
  test.each(cases)('refuses %s with one line naming input and value', (_what, input, message) => {
    let thrown: unknown;
    try {
      parseChecks(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe(message);
  });

  test('never echoes a header value in an error', () => {
    expect(() => parseChecks({ checks: '- url: http://a\n  headers: { Authorization: { nested: s3cret } }' })).toThrow(
      'Input "checks" has the value "Authorization": expected a header name with one text value (in check 1).',
    );
  });
});
