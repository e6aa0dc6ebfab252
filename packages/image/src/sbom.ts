import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';
import type { Dependency } from './lockfiles';

export interface SbomOptions {
  /** The source date: the document's timestamp, so the same build gives the same SBOM. */
  created: string;
  /** What the SBOM describes: the image, by repository name and digest. */
  subject: { name: string; digest: string };
  toolVersion?: string;
  specVersion?: '1.5' | '1.6';
}

export const CYCLONEDX_MEDIA_TYPE = 'application/vnd.cyclonedx+json';

/**
 * A CycloneDX JSON BOM of the dependencies packaged in the image, one
 * component per distinct purl, sorted by purl; the serial number is a
 * name-based UUID of the subject and components, so it is reproducible too.
 */
export function cycloneDxSbom(dependencies: Dependency[], options: SbomOptions): Record<string, unknown> {
  const byPurl = new Map<string, Dependency>();
  for (const dependency of dependencies) if (!byPurl.has(dependency.purl)) byPurl.set(dependency.purl, dependency);
  const components = [...byPurl.values()]
    .sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0))
    .map((d) => ({
      type: 'library',
      'bom-ref': d.purl,
      name: d.name,
      version: d.version,
      purl: d.purl,
      ...(d.hashes?.length ? { hashes: d.hashes } : {}),
      ...(d.license ? { licenses: [{ expression: d.license }] } : {}),
      ...(d.resolved ? { externalReferences: [{ type: 'distribution', url: d.resolved }] } : {}),
      properties: [{ name: 'gantry:lockfile', value: d.lockfile }],
    }));
  const subjectRef = `${options.subject.name}@${options.subject.digest}`;
  return {
    bomFormat: 'CycloneDX',
    specVersion: options.specVersion ?? '1.6',
    serialNumber: `urn:uuid:${uuidV5(canonicalJson({ subjectRef, components }).toString('utf8'))}`,
    version: 1,
    metadata: {
      timestamp: options.created,
      tools: { components: [{ type: 'application', name: 'gantry', ...(options.toolVersion ? { version: options.toolVersion } : {}) }] },
      component: { type: 'container', 'bom-ref': subjectRef, name: options.subject.name, version: options.subject.digest },
    },
    components,
  };
}

/** Name-based (SHA-1) UUID in the URL namespace, as RFC 9562 §5.5 defines it. */
function uuidV5(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const hash = createHash('sha1').update(namespace).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
