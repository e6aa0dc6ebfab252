import { code, table } from '@gantry/action-kit/markdown';
import type { PackageReport } from './report';

/** Bytes as B / KB / MB with one decimal (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The job summary: the reference to deploy first, then tags, the base,
 * each layer with its size and what happened to it, and how the SBOM and
 * provenance were attached (and whether they are signed).
 */
export function renderSummary(report: PackageReport, where: string): string {
  const ok = report.refusedTags.length === 0;
  const lines: string[] = [`## Gantry package-immutable-image: ${ok ? '✅' : '❌'} ${report.pushed ? (ok ? 'pushed' : 'tag refused') : 'built'}`, ''];
  if (report.image) lines.push('Deploy this reference:', '', '```', report.image, '```', '');
  else lines.push(`Image digest (not pushed): \`${report.digest}\``, '');
  for (const refused of report.refusedTags) {
    lines.push(`> [!CAUTION]\n> Tag \`${refused.tag}\` already names \`${refused.current}\` and is immutable: no tag was moved. Publish under a new tag, or list it in \`mutable-tags\`.`, '');
  }
  const facts: Array<[string, string | ReturnType<typeof code>]> = [
    ['Digest', code(report.digest)],
    ['Platforms', report.platforms.join(', ')],
    ['Base image', report.baseDigest ? code(`${report.baseImage}@${report.baseDigest}`) : report.baseImage],
    ['Size', formatBytes(report.size)],
    ['Uploaded', `${report.layersUploaded} layer(s), ${formatBytes(report.bytesUploaded)}`],
    ['Created (source date)', `${report.created} (SOURCE_DATE_EPOCH=${report.sourceDateEpoch})`],
  ];
  if (report.reproducible !== undefined) facts.push(['Reproducible', report.reproducible ? 'yes: a second build in another directory gave the same digest' : 'no']);
  if (report.ociLayout) facts.push(['OCI layout', code(report.ociLayout)]);
  lines.push(table(['', ''], facts));
  if (report.tags.length > 0) {
    const words = { created: 'created', unchanged: 'already here (no-op)', moved: 'moved (mutable)' };
    lines.push('### Tags', '', table(['tag', 'status'], report.tags.map((t) => [code(t.tag), `${words[t.status]}${t.previous ? ` from ${t.previous.slice(0, 19)}…` : ''}`])));
  }
  lines.push(
    '### Layers',
    '',
    table(
      ['layer', 'from', 'size', 'status'],
      report.layers.map((l) => [code(l.digest.slice(0, 19)), l.origin === 'base' ? 'base' : `new${l.name ? ` (${l.name})` : ''}`, formatBytes(l.size), l.status]),
      ['l', 'l', 'r', 'l'],
    ),
  );
  const attached = report.referrers
    ? `attached as OCI referrers (${report.referrers.mode === 'api' ? 'Referrers API' : `tag schema: \`${report.referrers.tag}\``})`
    : report.pushed ? 'not attached' : 'written to files only (not pushed)';
  const docs = Object.keys(report.documents);
  if (docs.length > 0) {
    const links = report.attestations.filter((a) => a.url).map((a) => `[${a.kind}](${a.url})`);
    const signing = report.signing === 'unsigned' ? `**unsigned** (${where})` : `also signed through ${report.signing}${links.length ? ` (${links.join(', ')})` : ''}`;
    lines.push('### Supply chain', '', `${docs.join(' and ')}: ${attached}; ${signing}.`, '');
  }
  return lines.join('\n');
}
