import { spawn } from 'node:child_process';
import { TarError } from './errors';

function runTar(args: string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep the tail: that is where tar says what went wrong.
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error) => reject(new TarError(`Could not run tar: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new TarError(`tar ${args[0]} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
    child.stdin.on('error', () => {}); // tar may exit before reading all names; 'close' reports why
    child.stdin.end(stdin ?? '');
  });
}

/**
 * Archives `members` (relative to `cwd`, or absolute) with the system GNU tar.
 * Symlinks are stored as links; modes and mtimes are recorded. Names go
 * through stdin, NUL-separated and verbatim, so odd names are safe.
 */
export function createArchive(archive: string, cwd: string, members: string[]): Promise<void> {
  const names = members.map((member) => `${member}\0`).join('');
  return runTar(
    ['--create', '--file', archive, '--absolute-names', '--directory', cwd, '--null', '--no-unquote', '--verbatim-files-from', '--files-from', '-'],
    names,
  );
}

/** Extracts an archive made by createArchive, keeping modes (and mtimes, tar's default). */
export function extractArchive(archive: string, cwd: string): Promise<void> {
  return runTar(['--extract', '--file', archive, '--absolute-names', '--directory', cwd, '--preserve-permissions']);
}
