import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ReportParseError } from './errors';

/** A parsed XML element with entities decoded; CDATA is kept verbatim. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data of this element only (text and CDATA). */
  text: string;
  /** Comment bodies directly inside this element. */
  comments: string[];
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

// Entities are decoded here rather than by the parser: its default leaves
// numeric references (`&#10;`) alone, and we must not touch CDATA.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references once. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}

/**
 * Validates and parses `xml`, returning its root element.
 * Throws ReportParseError (naming `source`) on malformed input.
 */
export function parseXml(xml: string, source: string | undefined): XmlElement {
  const body = xml.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ReportParseError(source, 'empty file, expected XML');
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const at = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new ReportParseError(source, `malformed XML at ${at}: ${msg}`);
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(body) as OrderedNode[];
  } catch (error) {
    throw new ReportParseError(source, `malformed XML: ${(error as Error).message}`, { cause: error });
  }
  const root = nodes.map(toElement).find((el): el is XmlElement => el !== undefined && !el.name.startsWith('?'));
  if (!root) throw new ReportParseError(source, 'no root element');
  return root;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name === '#cdata' || name === '#comment') return undefined;
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(node[':@'] ?? {})) attrs[key] = decodeEntities(String(value));
  const element: XmlElement = { name, attrs, children: [], text: '', comments: [] };
  for (const child of (node[name] as OrderedNode[] | undefined) ?? []) {
    if ('#text' in child) element.text += decodeEntities(String(child['#text']));
    else if ('#cdata' in child) element.text += rawText(child['#cdata']);
    else if ('#comment' in child) element.comments.push(rawText(child['#comment']));
    else {
      const sub = toElement(child);
      if (sub) element.children.push(sub);
    }
  }
  return element;
}

function rawText(parts: unknown): string {
  return (parts as OrderedNode[]).map((part) => String(part['#text'] ?? '')).join('');
}

/** Direct children named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
