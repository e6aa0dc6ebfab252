/**
 * The small part of the GitHub expression language that action.yml may use
 * in input defaults and `pre-if` / `post-if`: literals, context lookups,
 * `! && || == != < <= > >=`, parentheses and a few functions.
 */

export type Value = string | number | boolean | null | { [key: string]: Value };

/** Contexts by name (github, runner, env…) and the job status for status functions. */
export interface ExpressionContext {
  contexts: Record<string, Record<string, string>>;
  status: 'success' | 'failure';
}

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

type Token = { kind: 'num' | 'str' | 'ident' | 'op'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) { i += space[0].length; continue; }
    if (rest[0] === "'") {
      let j = 1;
      let text = '';
      for (;;) {
        if (j >= rest.length) throw new ExpressionError(`Unterminated string in expression: ${source}`);
        if (rest[j] === "'") {
          if (rest[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += rest[j++];
      }
      tokens.push({ kind: 'str', text });
      i += j + 1;
      continue;
    }
    const match =
      /^(?:0x[0-9a-f]+|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(rest) ?? null;
    if (match) { tokens.push({ kind: 'num', text: match[0] }); i += match[0].length; continue; }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (ident) { tokens.push({ kind: 'ident', text: ident[0] }); i += ident[0].length; continue; }
    const op = /^(?:&&|\|\||==|!=|<=|>=|[!<>().,[\]*])/.exec(rest);
    if (op) { tokens.push({ kind: 'op', text: op[0] }); i += op[0].length; continue; }
    throw new ExpressionError(`Unexpected character '${rest[0]}' in expression: ${source}`);
  }
  return tokens;
}

/** GitHub's truthiness: null, false, 0, NaN and '' are false. */
export function truthy(value: Value): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  return true;
}

/** How a value is written into a string (`${{ }}` in a default). */
export function stringify(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return Number.NaN;
}

function compare(op: string, a: Value, b: Value): boolean {
  // Strings compare case-insensitively; mixed types are compared as numbers.
  let left: string | number;
  let right: string | number;
  if (typeof a === 'string' && typeof b === 'string') {
    left = a.toLowerCase();
    right = b.toLowerCase();
  } else if (typeof a === 'object' && a !== null) {
    return op === '!=' ? a !== b : op === '==' ? a === b : false;
  } else {
    left = toNumber(a);
    right = toNumber(b);
  }
  switch (op) {
    case '==': return left === right;
    case '!=': return left !== right;
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    default: return left >= right;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly source: string, private readonly ctx: ExpressionContext) {}

  parse(): Value {
    const value = this.or();
    if (this.pos < this.tokens.length) this.fail(`unexpected '${this.tokens[this.pos]!.text}'`);
    return value;
  }

  private fail(why: string): never {
    throw new ExpressionError(`Invalid expression '${this.source}': ${why}`);
  }
  private peek(text: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.kind === 'op' && t.text === text;
  }
  private expect(text: string): void {
    if (!this.peek(text)) this.fail(`expected '${text}'`);
    this.pos++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peek('||')) { this.pos++; const right = this.and(); left = truthy(left) ? left : right; }
    return left;
  }
  private and(): Value {
    let left = this.unary();
    while (this.peek('&&')) { this.pos++; const right = this.unary(); left = truthy(left) ? right : left; }
    return left;
  }
  private unary(): Value {
    if (this.peek('!')) { this.pos++; return !truthy(this.unary()); }
    const left = this.primary();
    const t = this.tokens[this.pos];
    if (t?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.pos++;
      return compare(t.text, left, this.primary());
    }
    return left;
  }
  private primary(): Value {
    const t = this.tokens[this.pos++];
    if (!t) this.fail('unexpected end');
    if (t.kind === 'op' && t.text === '(') { const v = this.or(); this.expect(')'); return v; }
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind !== 'ident') this.fail(`unexpected '${t.text}'`);
    if (t.text === 'true' || t.text === 'false') return t.text === 'true';
    if (t.text === 'null') return null;
    if (this.peek('(')) return this.call(t.text);
    let value: Value = this.ctx.contexts[t.text] ?? null;
    for (;;) {
      let key: string;
      if (this.peek('.')) {
        this.pos++;
        const name = this.tokens[this.pos++];
        if (name?.kind !== 'ident') this.fail('expected a property name after .');
        key = name.text;
      } else if (this.peek('[')) {
        this.pos++;
        key = stringify(this.or());
        this.expect(']');
      } else return value;
      value = value !== null && typeof value === 'object' ? (lookup(value, key) ?? null) : null;
    }
  }
  private call(name: string): Value {
    this.expect('(');
    const args: Value[] = [];
    while (!this.peek(')')) {
      args.push(this.or());
      if (!this.peek(')')) this.expect(',');
    }
    this.pos++;
    const str = (i: number) => stringify(args[i] ?? null).toLowerCase();
    switch (name.toLowerCase()) {
      case 'always': return true;
      case 'success': return this.ctx.status === 'success';
      case 'failure': return this.ctx.status === 'failure';
      case 'cancelled': return false;
      case 'contains': return str(0).includes(str(1));
      case 'startswith': return str(0).startsWith(str(1));
      case 'endswith': return str(0).endsWith(str(1));
      case 'format':
        return stringify(args[0] ?? null).replace(/\{(\d+)\}/g, (_, n: string) => stringify(args[Number(n) + 1] ?? null));
      default: return this.fail(`function ${name}() is not supported by the Gantry runner`);
    }
  }
}

/** Context property names are case-insensitive. */
function lookup(object: { [key: string]: Value }, key: string): Value | undefined {
  if (key in object) return object[key];
  const lower = key.toLowerCase();
  const found = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : object[found];
}

/** Evaluates one expression (without `${{ }}`). */
export function evaluate(expression: string, ctx: ExpressionContext): Value {
  return new Parser(tokenize(expression), expression, ctx).parse();
}

/** Replaces every `${{ expr }}` in `template` by its value as a string. */
export function evaluateTemplate(template: string, ctx: ExpressionContext): string {
  let out = '';
  let i = 0;
  for (;;) {
    const start = template.indexOf('${{', i);
    if (start < 0) return out + template.slice(i);
    let j = start + 3;
    let inString = false;
    while (j < template.length && (inString || !template.startsWith('}}', j))) {
      if (template[j] === "'") inString = !inString;
      j++;
    }
    if (j >= template.length) throw new ExpressionError(`Unclosed \${{ in: ${template}`);
    out += template.slice(i, start) + stringify(evaluate(template.slice(start + 3, j), ctx));
    i = j + 2;
  }
}

/**
 * Evaluates an `if:`-style condition. As on GitHub, a condition without a
 * status function is implicitly `success() && (condition)`.
 */
export function evaluateCondition(condition: string, ctx: ExpressionContext): boolean {
  let expr = condition.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(expr);
  if (wrapped) expr = wrapped[1]!.trim();
  if (expr === '') expr = 'success()';
  if (!/\b(always|success|failure|cancelled)\s*\(/i.test(expr)) expr = `success() && (${expr})`;
  return truthy(evaluate(expr, ctx));
}
