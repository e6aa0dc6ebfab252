import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  cycloneDxSbom,
  EMPTY_CONFIG,
  readLockfiles,
  referrerArtifact,
  scratch,
  slsaProvenance,
  CYCLONEDX_MEDIA_TYPE,
  IN_TOTO_MEDIA_TYPE,
} from '@gantry/image';
import { referrersTag, sha256Digest } from '@gantry/oci';
import { TempDirs, writeTree } from './support';

const temp = new TempDirs();
afterAll(() => temp.cleanup());
const CREATED = '2023-11-14T22:13:20Z';
const IMAGE = 'ghcr.io/o/app';

async function dependenciesOf(files: Record<string, string>, extra?: (dir: string) => Promise<void>) {
  const context = await temp.make();
  await writeTree(context, files);
  await extra?.(context);
  const image = await buildImage({ context, sourceDateEpoch: 1_700_000_000, blobDir: await temp.make() }, scratch);
  return { image, dependencies: await readLockfiles(context, new Set(image.packaged)) };
}

describe('CycloneDX SBOM', () => {
  it("lists a real package-lock.json's runtime dependencies with purls and hashes", async () => {
    const { image, dependencies } = await dependenciesOf({}, (dir) => copyFile(join(import.meta.dirname, '../../package-lock.json'), join(dir, 'package-lock.json')));
    const sbom = cycloneDxSbom(dependencies, { created: CREATED, subject: { name: IMAGE, digest: image.digest } }) as {
      components: Array<{ name: string; purl: string; version: string; hashes?: Array<{ alg: string; content: string }>; licenses?: unknown }>;
      [key: string]: unknown;
    };
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, metadata: { timestamp: CREATED, component: { type: 'container', name: IMAGE, version: image.digest } } });
    expect(sbom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const yaml = sbom.components.find((c) => c.name === 'yaml');
    expect(yaml).toMatchObject({ purl: `pkg:npm/yaml@${yaml!.version}`, licenses: [{ expression: 'ISC' }] });
    expect(yaml!.hashes![0]).toMatchObject({ alg: 'SHA-512' });
    expect(yaml!.hashes![0]!.content).toMatch(/^[0-9a-f]{128}$/);
    expect(sbom.components.find((c) => c.purl.startsWith('pkg:npm/%40actions/core@'))).toBeDefined();
    // devDependencies are not packaged when node_modules is not in the context, nor workspace folders.
    expect(sbom.components.find((c) => c.name === 'vitest' || c.name === 'typescript')).toBeUndefined();
    expect(sbom.components.find((c) => c.name.startsWith('@gantry/'))).toBeUndefined();
    const purls = sbom.components.map((c) => c.purl);
    expect(purls).toEqual([...new Set(purls)].sort());
    // Same input, same document.
    expect(cycloneDxSbom(dependencies, { created: CREATED, subject: { name: IMAGE, digest: image.digest } })).toEqual(sbom);
  });

  it('lists exactly the installed packages when node_modules is packaged', async () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'app' },
        'node_modules/ms': { version: '2.1.3', integrity: 'sha512-AAAA', license: 'MIT' },
        'node_modules/@scope/pkg': { version: '1.0.0', dev: true },
        'node_modules/absent': { version: '9.9.9' },
        'node_modules/@scope/pkg/node_modules/ms': { version: '2.0.0' },
      },
    };
    const { dependencies } = await dependenciesOf({
      'package-lock.json': JSON.stringify(lock),
      'node_modules/ms/index.js': '',
      'node_modules/@scope/pkg/index.js': '',
      'node_modules/@scope/pkg/node_modules/ms/index.js': '',
    });
    expect(dependencies.map((d) => d.purl)).toEqual(['pkg:npm/ms@2.1.3', 'pkg:npm/%40scope/pkg@1.0.0', 'pkg:npm/ms@2.0.0']);
  });

  it('reads requirements.txt pins, Cargo.lock and go.sum', async () => {
    const { dependencies } = await dependenciesOf({
      'requirements.txt': [
        '# pinned by pip-compile',
        'Django_REST==3.15.1 \\',
        '    --hash=sha256:' + 'a'.repeat(64),
        'requests[security]==2.32.3 ; python_version >= "3.8"',
        'flask>=2',
        '-r other.txt',
      ].join('\n'),
      'Cargo.lock': [
        'version = 3',
        '[[package]]\nname = "app"\nversion = "0.1.0"',
        `[[package]]\nname = "serde"\nversion = "1.0.200"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${'b'.repeat(64)}"`,
      ].join('\n\n'),
      '.venv/lib/python3.12/site-packages/pkg/requirements.txt': 'ignored==1.0',
      'node_modules/dep/package-lock.json': '{"lockfileVersion":3,"packages":{"node_modules/ignored":{"version":"1.0.0"}}}',
      'go.sum': [
        'github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
        'github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=',
      ].join('\n'),
    });
    expect(dependencies.map((d) => [d.purl, d.lockfile, d.hashes?.[0]?.content.slice(0, 4)])).toEqual([
      ['pkg:cargo/serde@1.0.200', 'Cargo.lock', 'bbbb'],
      ['pkg:golang/github.com/pkg/errors@v0.9.1', 'go.sum', undefined],
      ['pkg:pypi/django-rest@3.15.1', 'requirements.txt', 'aaaa'],
      ['pkg:pypi/requests@2.32.3', 'requirements.txt', undefined],
    ]);
  });
});

describe('SLSA provenance and referrer artifacts', () => {
  const subject = { name: IMAGE, digest: `sha256:${'c'.repeat(64)}` };

  it('states the image, builder, inputs, source revision and base digest', () => {
    const statement = slsaProvenance({
      subject,
      builderId: 'https://github.com/o/app/.github/workflows/package.yml@refs/heads/main',
      externalParameters: { context: 'dist', 'base-image': 'docker.io/library/node:22', platforms: 'linux/amd64' },
      source: { uri: 'git+https://github.com/o/app@refs/heads/main', revision: 'd'.repeat(40) },
      base: { name: 'docker.io/library/node:22', digest: `sha256:${'e'.repeat(64)}` },
    });
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: IMAGE, digest: { sha256: 'c'.repeat(64) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'https://github.com/gantry-actions/gantry/package-immutable-image/v1',
          externalParameters: { context: 'dist', 'base-image': 'docker.io/library/node:22', platforms: 'linux/amd64' },
          resolvedDependencies: [
            { uri: 'git+https://github.com/o/app@refs/heads/main', digest: { gitCommit: 'd'.repeat(40) } },
            { uri: 'oci://docker.io/library/node:22', name: 'docker.io/library/node:22', digest: { sha256: 'e'.repeat(64) } },
          ],
        },
        runDetails: { builder: { id: 'https://github.com/o/app/.github/workflows/package.yml@refs/heads/main' } },
      },
    });
  });

  it('wraps a document as an artifact manifest whose subject is the image, outside the image', async () => {
    const context = await temp.make();
    await writeTree(context, { 'a.txt': 'a' });
    const image = await buildImage({ context, sourceDateEpoch: 0, blobDir: await temp.make() }, scratch);
    const before = image.digest;
    const document = slsaProvenance({ subject: { name: IMAGE, digest: image.digest }, builderId: 'gantry-local', externalParameters: {} });
    const artifact = referrerArtifact(image.descriptor, IN_TOTO_MEDIA_TYPE, document, { created: image.created, title: 'provenance.intoto.json' });
    expect(artifact.manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: IN_TOTO_MEDIA_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 },
      subject: { mediaType: image.mediaType, digest: image.digest, size: image.bytes.length },
      annotations: { 'org.opencontainers.image.created': '1970-01-01T00:00:00Z' },
    });
    expect(artifact.manifest.layers).toEqual([artifact.blobs[1]!.descriptor]);
    expect(artifact.blobs[0]).toBe(EMPTY_CONFIG);
    expect(JSON.parse(artifact.blobs[1]!.content.toString())).toEqual(document);
    expect(artifact.descriptor).toEqual({ mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: IN_TOTO_MEDIA_TYPE, digest: sha256Digest(artifact.bytes), size: artifact.bytes.length });
    const sbom = referrerArtifact(image.descriptor, CYCLONEDX_MEDIA_TYPE, cycloneDxSbom([], { created: image.created, subject: { name: IMAGE, digest: image.digest } }), {
      created: image.created,
      title: 'sbom.cdx.json',
    });
    expect(sbom.manifest.artifactType).toBe('application/vnd.cyclonedx+json');
    expect(image.digest).toBe(before);
    expect(image.bytes.toString()).not.toContain('in-toto');
    expect(referrersTag(image.digest)).toBe(`sha256-${image.digest.slice(7)}`);
  });
});
