import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ContainersSetup {
  env: NodeJS.ProcessEnv;
  /** Storage made for this build (removed afterwards); undefined when the caller's is used. */
  tempStorage?: string;
}

/**
 * The containers.conf and storage.conf buildah needs where it runs as root
 * without systemd (this machine, CI containers): cgroupfs, runc, ulimits it
 * may set, and vfs storage in `workDir` — the settings NOTES.md gives for
 * podman. A caller's own CONTAINERS_CONF / CONTAINERS_STORAGE_CONF win.
 */
export async function containersSetup(workDir: string, base: NodeJS.ProcessEnv): Promise<ContainersSetup> {
  const env: NodeJS.ProcessEnv = { ...base };
  const dir = join(workDir, 'containers');
  await mkdir(dir, { recursive: true });
  if (!env.CONTAINERS_CONF) {
    env.CONTAINERS_CONF = join(dir, 'containers.conf');
    await writeFile(
      env.CONTAINERS_CONF,
      '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4000:4000"]\n',
    );
  }
  if (env.CONTAINERS_STORAGE_CONF) return { env };
  const storage = join(dir, 'storage');
  env.CONTAINERS_STORAGE_CONF = join(dir, 'storage.conf');
  await writeFile(env.CONTAINERS_STORAGE_CONF, `[storage]\ndriver = "vfs"\ngraphroot = ${toml(join(storage, 'graph'))}\nrunroot = ${toml(join(storage, 'run'))}\n`);
  return { env, tempStorage: storage };
}

function toml(text: string): string {
  return JSON.stringify(text);
}
