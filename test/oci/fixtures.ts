import { MEDIA_TYPES, sha256Digest, type Descriptor, type ImageIndex, type ImageManifest } from '@gantry/oci';
import { gzipSync } from 'node:zlib';
import type { Logger } from '@gantry/action-kit';

export const USER = { username: 'gantry', password: 's3cret-Pa55word-xyz' };

/** A logger that keeps every line, to prove no credential is ever written. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warning: (m) => lines.push(m), debug: (m) => lines.push(m) };
}

/** A one-file ustar archive (enough for skopeo and umoci to accept as a layer). */
export function tarOf(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => header.write(text.padEnd(length, '\0').slice(0, length), offset, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(body.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0' + '00', 257, 8);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding, Buffer.alloc(1024)]);
}

export interface TestImage {
  config: { descriptor: Descriptor; bytes: Buffer };
  layer: { descriptor: Descriptor; bytes: Buffer };
  manifest: { descriptor: Descriptor; bytes: Buffer; json: ImageManifest };
}

/** A small, valid single-layer linux/amd64 image; `seed` makes its digests distinct. */
export function testImage(seed: string, docker = false): TestImage {
  const tar = tarOf('hello.txt', `hello from ${seed}\n`);
  const layerBytes = gzipSync(tar, { level: 9 });
  const layer = { bytes: layerBytes, descriptor: { mediaType: docker ? MEDIA_TYPES.dockerLayerGzip : MEDIA_TYPES.ociLayerGzip, digest: sha256Digest(layerBytes), size: layerBytes.length } };
  const configJson = { architecture: 'amd64', os: 'linux', config: { Cmd: ['/hello'] }, rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] }, history: [{ created_by: seed }] };
  const configBytes = Buffer.from(JSON.stringify(configJson));
  const config = { bytes: configBytes, descriptor: { mediaType: docker ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig, digest: sha256Digest(configBytes), size: configBytes.length } };
  const json: ImageManifest = { schemaVersion: 2, mediaType: docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest, config: config.descriptor, layers: [layer.descriptor] };
  const bytes = Buffer.from(JSON.stringify(json));
  return { config, layer, manifest: { bytes, json, descriptor: { mediaType: json.mediaType!, digest: sha256Digest(bytes), size: bytes.length } } };
}

/** An OCI index over manifests, each for linux/amd64 with a distinct variant label. */
export function indexOf(manifests: Descriptor[]): { bytes: Buffer; json: ImageIndex; digest: string } {
  const json: ImageIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: manifests.map((d, i) => ({ ...d, platform: { os: 'linux', architecture: i === 0 ? 'amd64' : 'arm64' } })),
  };
  const bytes = Buffer.from(JSON.stringify(json));
  return { bytes, json, digest: sha256Digest(bytes) };
}
