import { fileURLToPath } from 'node:url';

/** A source position found in a failure body. */
export interface StackLocation {
  file: string;
  line: number;
}

interface Candidate extends StackLocation {
  start: number;
  end: number;
}

const SOURCE_EXT = 'py|go|rs|[cm]?js|[cm]?ts|jsx|tsx|rb|java|kt|scala|groovy|cs|fs|swift|php|c|cc|cpp|cxx|h|hpp|ex|exs|erl|dart|lua|zig|sh';

// Frame shapes, each capturing (path, line):
const PATTERNS: RegExp[] = [
  // V8 / Node / Jest: "at fn (path:10:5)" or "at path:10:5"; path may be a file:// URL.
  /\bat (?:.*? \()?((?:file:\/\/)?(?:[A-Za-z]:)?[^\s():]+):(\d+):\d+\)?/g,
  // Python traceback: File "path", line 10
  /File "([^"]+)", line (\d+)/g,
  // pytest / Go / Rust: "path:10:" or "path:10:5" as a word, the path ending in a source extension.
  new RegExp(`(?<=^|[\\s'"(,])((?:[A-Za-z]:)?[\\w./\\\\@+-]*\\.(?:${SOURCE_EXT})):(\\d+)(?::\\d+)?(?=[:\\s,)]|$)`, 'gm'),
];

// Java: "at com.acme.CalcTest.adds(CalcTest.java:42)" → com/acme/CalcTest.java
const JAVA_FRAME = /\bat ((?:[\w$]+\.)*)[\w$<>]+\.[\w$<>]+\(([\w$]+\.(?:java|kt|groovy|scala)):(\d+)\)/g;

// Frames outside the project: runtimes, dependencies, toolchains, test frameworks.
const FOREIGN: RegExp[] = [
  /^node:/,
  /^internal\//,
  /[\\/]node_modules[\\/]/,
  /[\\/](?:site|dist)-packages[\\/]/,
  /[\\/]lib[\\/]python\d/,
  /^<[^>]*>$/,
  /[\\/]rustc[\\/]/,
  /[\\/]\.cargo[\\/]registry[\\/]/,
  /^\/usr\/(?:local\/)?(?:go|lib)\//,
  /[\\/]go[\\/]src[\\/](?:testing|runtime)[\\/]/,
];
const FOREIGN_JAVA = /^(?:java|javax|jdk|sun|kotlin|scala|groovy|org\/junit|org\/opentest4j|org\/apache\/maven|org\/testng)\//;

/**
 * The first stack frame in `body` that points inside the project (not Node
 * internals, node_modules, site-packages, the JDK, …). With `preferFile`,
 * the first such frame in that file wins. Returns `undefined` when none is found.
 */
export function locateInStack(body: string, preferFile?: string): StackLocation | undefined {
  const candidates = collect(body).filter((frame) => !isForeign(frame.file));
  if (preferFile !== undefined) {
    const wanted = normalise(preferFile);
    const inFile = candidates.find((frame) => samePath(normalise(frame.file), wanted));
    return inFile && { file: inFile.file, line: inFile.line };
  }
  const first = candidates[0];
  return first && { file: first.file, line: first.line };
}

function collect(body: string): Candidate[] {
  const found: Candidate[] = [];
  for (const pattern of PATTERNS) {
    for (const match of body.matchAll(pattern)) {
      const [, rawFile, line] = match as unknown as [string, string, string];
      found.push({ file: toPath(rawFile), line: Number(line), start: match.index, end: match.index + match[0].length });
    }
  }
  for (const match of body.matchAll(JAVA_FRAME)) {
    const [, pkg, fileName, line] = match as unknown as [string, string, string, string];
    found.push({ file: pkg.replace(/\./g, '/') + fileName, line: Number(line), start: match.index, end: match.index + match[0].length });
  }
  // Several patterns can see one frame (a bare "Calc.java:4" inside a Java
  // frame): keep the first, widest match and drop what overlaps it.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  for (const frame of found) {
    const last = kept.at(-1);
    if (!last || frame.start >= last.end) kept.push(frame);
  }
  return kept;
}

/** A `file://` URL as a path; anything else unchanged. */
export function toPath(raw: string): string {
  if (!raw.startsWith('file://')) return raw;
  try {
    return fileURLToPath(raw);
  } catch {
    return raw.slice('file://'.length);
  }
}

function isForeign(file: string): boolean {
  return FOREIGN.some((pattern) => pattern.test(file)) || FOREIGN_JAVA.test(file);
}

function normalise(file: string): string {
  return toPath(file).replace(/\\/g, '/').replace(/^\.\//, '');
}

// A relative path from one tool and an absolute one from another name the same file.
function samePath(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}
