/**
 * A token server that follows Docker's token authentication spec
 * (distribution/docs/spec/auth/token.md) closely enough for the real
 * registry to trust it: `GET /token?service=S&scope=repository:NAME:pull,push`
 * with optional Basic credentials answers `{token, access_token, expires_in}`,
 * an RS256 JWT whose `x5c` header carries a self-signed certificate that the
 * registry lists as its `rootcertbundle`. Valid credentials get every action
 * asked for; anonymous requests get none (the registry then refuses them);
 * wrong credentials get 401.
 */
import { execFileSync } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenAuthConfig } from '../support/registry';

export interface TokenServer extends TokenAuthConfig {
  /** Each token request: the scopes asked for and whether credentials came with it. */
  requests: Array<{ scopes: string[]; authenticated: boolean; status: number }>;
  stop(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenServer(user: { username: string; password: string }): Promise<TokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=gantry-test-token'], { stdio: 'ignore' });
  const key = await readFile(keyPath, 'utf8');
  const certDer = new X509Certificate(await readFile(certPath)).raw;
  const service = 'gantry-test-registry';
  const issuer = 'gantry-test-issuer';
  const requests: TokenServer['requests'] = [];
  const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://token');
    const scopes = url.searchParams.getAll('scope');
    const authorization = req.headers.authorization;
    const answer = (status: number, body: object) => {
      requests.push({ scopes, authenticated: authorization !== undefined, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return answer(404, { errors: [{ code: 'NOT_FOUND' }] });
    if (authorization !== undefined && authorization !== expected) return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
    const access = authorization
      ? scopes.map((scope) => {
          const [type, ...rest] = scope.split(':');
          const actions = rest.pop()!.split(',');
          return { type, name: rest.join(':'), actions };
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
    const claims = { iss: issuer, sub: authorization ? user.username : '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
    const token = `${signingInput}.${base64url(signature)}`;
    answer(200, { token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    rootCertBundle: certPath,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
