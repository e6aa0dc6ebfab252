/**
 * Shared pieces of the publish tests: a static busybox base image made here
 * (no internet) and pushed to a test registry, and skopeo/podman runners
 * configured for this machine (root, cgroupfs, runc, vfs: see NOTES.md).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { silentLogger } from '@gantry/action-kit';
import { buildImage, scratch, type BuiltImage } from '@gantry/image';
import { RegistryClient, type Platform } from '@gantry/oci';
import { publishImage } from '@gantry/publish';

export const run = promisify(execFile);
export const USER = { username: 'gantry', password: 'publish-secret-pw' };
export const AMD64: Platform = { os: 'linux', architecture: 'amd64' };

/** A registry client for a test registry (plain HTTP on loopback), with few quick retries. */
export function clientFor(host: string, credentials = USER): RegistryClient {
  return new RegistryClient({ registry: host, credentials, logger: silentLogger, retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 200 } });
}

/** A rootfs context with the static busybox and sh/echo/cat links. */
export async function busyboxContext(dir: string): Promise<string> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(dir, 'bin', 'busybox'));
  for (const name of ['sh', 'echo', 'cat']) await symlink('busybox', join(dir, 'bin', name));
  return dir;
}

/** Builds the busybox base on scratch (deterministically) and pushes it as `repository:tag`. */
export async function pushBusyboxBase(client: RegistryClient, repository: string, tag: string, work: string, platforms: Platform[] = [AMD64]): Promise<BuiltImage> {
  const context = await busyboxContext(join(work, 'busybox-rootfs'));
  const built = await buildImage({ context, destination: '/', workdir: '/', sourceDateEpoch: 0, blobDir: join(work, 'busybox-blobs'), platforms, env: { PATH: '/bin' }, cmd: ['/bin/sh'] }, scratch);
  await publishImage(built, { client, repository, tags: [tag], mutableTags: ['*'] });
  return built;
}

/** An app context: a script and a data file. */
export async function appContext(dir: string, message = 'hello from gantry'): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'message.txt'), `${message}\n`);
  await writeFile(join(dir, 'run.sh'), '#!/bin/sh\ncat /app/message.txt\n', { mode: 0o755 });
  return dir;
}

export async function skopeoInspect(reference: string, raw = false): Promise<Record<string, unknown>> {
  const args = ['inspect', '--tls-verify=false', '--creds', `${USER.username}:${USER.password}`, ...(raw ? ['--raw'] : []), `docker://${reference}`];
  const { stdout } = await run('skopeo', args, { timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** podman as root on this machine: its config files in `root`, pointed at by the environment. */
export async function podmanEnv(root: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'containers.conf'), '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4000:4000"]\n');
  await writeFile(join(root, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${root}/graph"\nrunroot = "${root}/run"\n`);
  return { ...process.env, CONTAINERS_CONF: join(root, 'containers.conf'), CONTAINERS_STORAGE_CONF: join(root, 'storage.conf') };
}

/** Pulls `registry/repo@digest` with podman (run has no --creds in podman 4.3) and runs a command in it. */
export async function podmanRun(env: NodeJS.ProcessEnv, image: string, command: string[], entrypoint?: string): Promise<string> {
  await run('podman', ['pull', '--quiet', '--creds', `${USER.username}:${USER.password}`, '--tls-verify=false', image], { env, timeout: 120_000 });
  const args = ['run', '--rm', '--network', 'none', ...(entrypoint ? ['--entrypoint', entrypoint] : []), image, ...command];
  const { stdout } = await run('podman', args, { env, timeout: 120_000 });
  return stdout;
}
