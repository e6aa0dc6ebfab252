import { InputError } from '@gantry/action-kit';
import type { ImageConfig, Platform } from '@gantry/oci';

/** What the image runs and how: the Dockerfile instructions that are not COPY. */
export interface ImageSettings {
  /** Config WorkingDir (default: the destination the context is copied to). */
  workdir?: string;
  /** Replaces the base's; as in Docker, a new entrypoint without `cmd` also clears the base's Cmd. */
  entrypoint?: string[];
  cmd?: string[];
  /** Merged over the base's Env: a name given here replaces the base's value in place. */
  env?: Record<string, string>;
  user?: string;
  /** `8080`, `8080/tcp` or `53/udp`; added to the base's. */
  ports?: string[];
  /** Merged over the base's labels and the standard OCI ones. */
  labels?: Record<string, string>;
}

/** A new layer as the config's history and rootfs see it. */
export interface ConfigLayer {
  diffId: string;
  createdBy: string;
}

/**
 * The image config for one platform: the base's (if any) with the settings
 * applied, `created` = the source date, one history entry per new layer, and
 * rootfs diff_ids = the base's followed by the new layers'.
 */
export function buildConfig(
  base: ImageConfig | undefined,
  platform: Platform,
  settings: ImageSettings,
  layers: ConfigLayer[],
  created: string,
  labels: Record<string, string>,
): ImageConfig {
  const inherited = base?.config ?? {};
  const config: NonNullable<ImageConfig['config']> = { ...inherited };
  const env = mergeEnv(inherited.Env ?? [], settings.env ?? {});
  if (env.length > 0) config.Env = env;
  if (settings.entrypoint) {
    config.Entrypoint = settings.entrypoint;
    if (!settings.cmd) delete config.Cmd;
  }
  if (settings.cmd) config.Cmd = settings.cmd;
  if (settings.workdir) config.WorkingDir = settings.workdir;
  if (settings.user) config.User = settings.user;
  const ports = { ...inherited.ExposedPorts };
  for (const port of settings.ports ?? []) ports[normalizePort(port)] = {};
  if (Object.keys(ports).length > 0) config.ExposedPorts = ports;
  const allLabels = { ...inherited.Labels, ...labels, ...settings.labels };
  if (Object.keys(allLabels).length > 0) config.Labels = allLabels;
  const history = [...(base?.history ?? [])];
  for (const layer of layers) history.push({ created, created_by: layer.createdBy, comment: 'gantry' });
  const image: ImageConfig = {
    created,
    architecture: platform.architecture,
    os: platform.os,
    config,
    rootfs: { type: 'layers', diff_ids: [...(base?.rootfs.diff_ids ?? []), ...layers.map((layer) => layer.diffId)] },
    history,
  };
  if (platform.variant) image.variant = platform.variant;
  if (platform['os.version']) (image as ImageConfig & { 'os.version'?: string })['os.version'] = platform['os.version'];
  return image;
}

function mergeEnv(base: string[], overrides: Record<string, string>): string[] {
  const result = base.map((line) => {
    const name = line.split('=', 1)[0]!;
    return Object.hasOwn(overrides, name) ? `${name}=${overrides[name]}` : line;
  });
  const present = new Set(base.map((line) => line.split('=', 1)[0]));
  for (const [name, value] of Object.entries(overrides)) if (!present.has(name)) result.push(`${name}=${value}`);
  return result;
}

/** `8080` → `8080/tcp`; throws InputError naming `ports` for anything but PORT[/tcp|udp|sctp]. */
export function normalizePort(text: string, inputName = 'ports'): string {
  const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(text.trim());
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65535) throw new InputError(inputName, text, 'ports like 8080, 8080/tcp or 53/udp (1-65535)');
  return `${port}/${(match[2] ?? 'tcp').toLowerCase()}`;
}
