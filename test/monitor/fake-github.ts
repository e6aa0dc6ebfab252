/**
 * A fake of the part of GitHub's REST API the monitor uses (issues,
 * comments, contents, branches, git trees/commits/refs/blobs), because the
 * real API cannot be reached from tests. It answers with the documented
 * status codes and JSON shapes (docs.github.com/rest), checks the bearer
 * token, keeps its state across runs, and records every call.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  comments: string[];
  created_at: string;
}

export interface RecordedCall {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  status: number;
}

const gitSha = (kind: string, data: Buffer | string) =>
  createHash('sha1').update(`${kind} ${Buffer.byteLength(data)}\0`).update(data).digest('hex');

export class FakeGitHub {
  readonly calls: RecordedCall[] = [];
  readonly issues: FakeIssue[] = [];
  /** Branch name → path → content. */
  readonly branches = new Map<string, Map<string, Buffer>>();
  /** Answers the next N calls with 502 first (to exercise retries). */
  failNext = 0;
  private readonly trees = new Map<string, Map<string, Buffer>>();
  private readonly commits = new Map<string, string>();
  private server?: Server;

  constructor(
    readonly token: string,
    readonly repository = 'acme/shop',
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A file on a branch, as text. */
  file(branch: string, path: string): string | undefined {
    return this.branches.get(branch)?.get(path)?.toString('utf8');
  }

  /** Calls without the GETs: what changed state. */
  writes(): string[] {
    return this.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path.replace(`/repos/${this.repository}`, '')}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const send = (status: number, json: unknown) => {
      this.calls.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), body, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials', status: '401' });
    if (this.failNext > 0) {
      this.failNext--;
      return send(502, { message: 'Server Error' });
    }
    const prefix = `/repos/${this.repository}`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found', status: '404' });
    const [status, json] = this.route(req.method!, decodeURIComponent(url.pathname.slice(prefix.length)), url.searchParams, body ?? {});
    send(status, json);
  }

  private route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): [number, unknown] {
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/issues') {
      const wanted = (query.get('labels') ?? '').split(',').filter(Boolean);
      const state = query.get('state') ?? 'open';
      const perPage = Number(query.get('per_page') ?? 30);
      const page = Number(query.get('page') ?? 1);
      const found = this.issues.filter((i) => (state === 'all' || i.state === state) && wanted.every((l) => i.labels.includes(l)));
      return [200, found.slice((page - 1) * perPage, page * perPage).map((i) => this.issueJson(i))];
    }
    if (method === 'POST' && path === '/issues') {
      if (typeof body.title !== 'string') return [422, { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] }];
      const issue: FakeIssue = {
        number: this.issues.length + 1,
        title: body.title,
        body: String(body.body ?? ''),
        state: 'open',
        state_reason: null,
        labels: (body.labels as string[] | undefined) ?? [],
        comments: [],
        created_at: new Date().toISOString(),
      };
      this.issues.push(issue);
      return [201, this.issueJson(issue)];
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(path)) && method === 'POST') {
      const issue = this.issues[Number(m[1]) - 1];
      if (!issue) return [404, { message: 'Not Found' }];
      issue.comments.push(String(body.body));
      return [201, { id: issue.comments.length, body: body.body, html_url: `https://github.com/${this.repository}/issues/${issue.number}#issuecomment-${issue.comments.length}` }];
    }
    if ((m = /^\/issues\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const issue = this.issues[Number(m[1]) - 1];
      if (!issue) return [404, { message: 'Not Found' }];
      if (body.state === 'closed' || body.state === 'open') issue.state = body.state;
      issue.state_reason = (body.state_reason as string | undefined) ?? null;
      return [200, this.issueJson(issue)];
    }
    if ((m = /^\/branches\/(.+)$/.exec(path)) && method === 'GET') {
      const files = this.branches.get(m[1]!);
      return files ? [200, { name: m[1], commit: { sha: gitSha('tree', JSON.stringify([...files.keys()])) } }] : [404, { message: 'Branch not found' }];
    }
    if ((m = /^\/contents\/(.+)$/.exec(path))) return this.contents(method, m[1]!, query, body);
    if ((m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(path)) && method === 'GET') {
      for (const files of this.branches.values()) {
        for (const data of files.values()) {
          if (gitSha('blob', data) === m[1]) return [200, { sha: m[1], size: data.length, encoding: 'base64', content: data.toString('base64') }];
        }
      }
      return [404, { message: 'Not Found' }];
    }
    if (method === 'POST' && path === '/git/trees') {
      const files = new Map<string, Buffer>();
      for (const entry of body.tree as Array<{ path: string; content: string }>) files.set(entry.path, Buffer.from(entry.content));
      const sha = gitSha('tree', JSON.stringify([...files.entries()]));
      this.trees.set(sha, files);
      return [201, { sha, tree: [...files.keys()].map((p) => ({ path: p, mode: '100644', type: 'blob' })), truncated: false }];
    }
    if (method === 'POST' && path === '/git/commits') {
      if (!this.trees.has(String(body.tree))) return [422, { message: 'Tree SHA does not exist' }];
      const sha = gitSha('commit', `${body.tree}\n${body.message}\n${this.commits.size}`);
      this.commits.set(sha, String(body.tree));
      return [201, { sha, message: body.message, tree: { sha: body.tree }, parents: [] }];
    }
    if (method === 'POST' && path === '/git/refs') {
      const name = String(body.ref).replace(/^refs\/heads\//, '');
      if (this.branches.has(name)) return [422, { message: 'Reference already exists' }];
      const tree = this.commits.get(String(body.sha));
      if (!tree) return [422, { message: 'Object does not exist' }];
      this.branches.set(name, new Map(this.trees.get(tree)));
      return [201, { ref: body.ref, object: { sha: body.sha, type: 'commit' } }];
    }
    return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
  }

  private contents(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): [number, unknown] {
    const branch = method === 'GET' ? (query.get('ref') ?? 'main') : String(body.branch ?? 'main');
    const files = this.branches.get(branch);
    if (method === 'GET') {
      if (!files) return [404, { message: `No commit found for the ref ${branch}` }];
      const data = files.get(path);
      if (!data) return [404, { message: 'Not Found' }];
      // GitHub wraps the base64 at 60 characters per line.
      const content = data.toString('base64').replace(/.{60}/g, '$&\n');
      return [200, { type: 'file', encoding: 'base64', size: data.length, name: path.split('/').pop(), path, content, sha: gitSha('blob', data) }];
    }
    if (method !== 'PUT') return [404, { message: 'Not Found' }];
    if (!files) return [404, { message: `Branch ${branch} not found` }];
    const existing = files.get(path);
    if (existing && body.sha === undefined) return [422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' }];
    if (existing && body.sha !== gitSha('blob', existing)) return [409, { message: `${path} does not match ${String(body.sha)}` }];
    const data = Buffer.from(String(body.content), 'base64');
    files.set(path, data);
    return [existing ? 200 : 201, { content: { name: path.split('/').pop(), path, sha: gitSha('blob', data) }, commit: { sha: gitSha('commit', `${path}${Date.now()}`), message: body.message } }];
  }

  private issueJson(i: FakeIssue) {
    return {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.state_reason,
      labels: i.labels.map((name) => ({ name })),
      comments: i.comments.length,
      created_at: i.created_at,
      html_url: `https://github.com/${this.repository}/issues/${i.number}`,
    };
  }
}
