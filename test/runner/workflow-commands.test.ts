import { describe, expect, it } from 'vitest';
import {
  CommandEffects,
  CommandProcessor,
  parseCommandLine,
  unescapeData,
  unescapeProperty,
} from '../../packages/runner/src/workflow-commands';

describe('parseCommandLine', () => {
  it('parses properties and data, unescaping both as the runner does', () => {
    expect(parseCommandLine('::error file=a%2Cb.ts,line=3,title=T%3A x::bad%25 thing%0Anext')).toEqual({
      command: 'error',
      properties: { file: 'a,b.ts', line: '3', title: 'T: x' },
      data: 'bad% thing\nnext',
    });
  });

  it('allows leading whitespace and any letter case, and ignores unknown commands', () => {
    expect(parseCommandLine('  ::WARNING::w')?.command).toBe('warning');
    expect(parseCommandLine('::made-up::x')).toBeUndefined();
    expect(parseCommandLine('text ::error::x')).toBeUndefined();
    expect(parseCommandLine('::error x')).toBeUndefined();
  });

  it('skips properties without a name or a value', () => {
    expect(parseCommandLine('::error =x,line=,,file=f::m')?.properties).toEqual({ file: 'f' });
  });

  it('unescapes data and properties differently', () => {
    expect(unescapeData('%3A%2C%0D%0A%25')).toBe('%3A%2C\r\n%');
    expect(unescapeProperty('%3A%2C%0D%0A%25')).toBe(':,\r\n%');
  });
});

describe('CommandProcessor', () => {
  const processAll = (lines: string[], allowUnsecure = false) => {
    const effects = new CommandEffects();
    const processor = new CommandProcessor(effects, allowUnsecure);
    const commands = lines.map((line) => processor.process(line)?.command);
    return { effects, commands };
  };

  it('records annotations with numeric positions and warns about bad ones', () => {
    const { effects } = processAll([
      '::notice file=src/a.ts,line=4,endLine=5,col=2,endColumn=9,title=Heads up::look',
      '::warning line=abc::w',
    ]);
    expect(effects.annotations).toEqual([
      { level: 'notice', message: 'look', file: 'src/a.ts', line: 4, endLine: 5, col: 2, endColumn: 9, title: 'Heads up' },
      { level: 'warning', message: 'w' },
    ]);
    expect(effects.warnings).toEqual([expect.stringContaining("Invalid value for 'line'")]);
  });

  it('ignores commands between ::stop-commands::TOKEN and ::TOKEN::', () => {
    const { effects, commands } = processAll([
      '::stop-commands::pause-123',
      '::error::not an annotation',
      '::add-mask::not-a-secret',
      '::pause-123::',
      '::error::an annotation',
    ]);
    expect(commands).toEqual(['stop-commands', undefined, undefined, 'pause-123', 'error']);
    expect(effects.annotations).toEqual([{ level: 'error', message: 'an annotation' }]);
    expect(effects.masks).toEqual([]);
  });

  it('masks registered secrets, each line of a multi-line one too', () => {
    const { effects } = processAll(['::add-mask::s3cret', '::add-mask::one%0Atwo', '::add-mask:: ']);
    expect(effects.mask('x s3cret y one two')).toBe('x *** y *** ***');
    expect(effects.warnings).toEqual(["Can't add secret mask for empty string in ##[add-mask] command."]);
  });

  it('accepts legacy set-output and save-state with a deprecation warning', () => {
    const { effects } = processAll(['::set-output name=out::v%0A2', '::save-state name=st::s']);
    expect(effects.outputs).toEqual({ out: 'v\n2' });
    expect(effects.state).toEqual({ st: 's' });
    expect(effects.warnings).toHaveLength(2);
    expect(effects.warnings[0]).toMatch(/The `set-output` command is deprecated/);
    expect(effects.failed).toBe(false);
  });

  it('fails the step on set-env and add-path unless unsecure commands are allowed', () => {
    const refused = processAll(['::set-env name=A::1']).effects;
    expect(refused.failed).toBe(true);
    expect(refused.annotations[1]?.message).toMatch(/The `set-env` command is disabled/);
    const allowed = processAll(['::set-env name=A::1', '::add-path::/opt/x'], true).effects;
    expect(allowed.failed).toBe(false);
    expect(allowed.env).toEqual({ A: '1' });
    expect(allowed.path).toEqual(['/opt/x']);
  });
});
