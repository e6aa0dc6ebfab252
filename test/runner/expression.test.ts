import { describe, expect, it } from 'vitest';
import { evaluate, evaluateCondition, evaluateTemplate, ExpressionError, type ExpressionContext } from '../../packages/runner/src/expression';

const ctx = (status: ExpressionContext['status'] = 'success'): ExpressionContext => ({
  contexts: { github: { token: 'tok', workspace: '/ws' }, runner: { os: 'Linux', temp: '/tmp/r' }, env: { MODE: 'fast' } },
  status,
});

describe('expressions', () => {
  it('fills templates from the github, runner and env contexts; unknown is empty', () => {
    expect(evaluateTemplate('${{ github.token }}', ctx())).toBe('tok');
    expect(evaluateTemplate('${{github.workspace}}/out-${{ runner.temp }}', ctx())).toBe('/ws/out-/tmp/r');
    expect(evaluateTemplate("${{ env.MODE }}|${{ github.nope }}|${{ secrets.X }}|${{ 'it''s' }}", ctx())).toBe("fast|||it's");
    expect(evaluateTemplate('plain', ctx())).toBe('plain');
  });

  it('evaluates operators with GitHub semantics', () => {
    expect(evaluate("github.nope || 'fallback'", ctx())).toBe('fallback');
    expect(evaluate("runner.os == 'linux' && 'yes'", ctx())).toBe('yes');
    expect(evaluate("!(1 < 2) || format('{0}-{1}', 'a', 3)", ctx())).toBe('a-3');
    expect(evaluate("contains(github['workspace'], 'WS')", ctx())).toBe(true);
  });

  it('evaluates status conditions, adding success() when none is named', () => {
    expect(evaluateCondition('always()', ctx('failure'))).toBe(true);
    expect(evaluateCondition('${{ failure() }}', ctx('failure'))).toBe(true);
    expect(evaluateCondition('success()', ctx('failure'))).toBe(false);
    expect(evaluateCondition("runner.os == 'Linux'", ctx('failure'))).toBe(false);
    expect(evaluateCondition("runner.os == 'Linux'", ctx('success'))).toBe(true);
    expect(evaluateCondition('!cancelled()', ctx('failure'))).toBe(true);
  });

  it('rejects what it cannot evaluate', () => {
    expect(() => evaluate('hashFiles(\'x\')', ctx())).toThrow(ExpressionError);
    expect(() => evaluateTemplate('${{ github.token', ctx())).toThrow(/Unclosed/);
    expect(() => evaluate("'open", ctx())).toThrow(/Unterminated/);
  });
});
