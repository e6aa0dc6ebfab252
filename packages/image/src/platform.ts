import { InputError } from '@gantry/action-kit';
import type { Platform } from '@gantry/oci';

/** Operating systems and architectures as Go (and so OCI) names them. */
const OSES = new Set(['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'aix', 'plan9', 'wasip1', 'js']);
const ARCHES = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 'ppc64', 's390x', 'riscv64', 'mips64le', 'mips64', 'mipsle', 'mips', 'loong64', 'wasm']);
const ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386', i686: '386' };
const EXPECTED = 'a comma- or newline-separated list of os/arch[/variant] such as linux/amd64,linux/arm64/v8';

/**
 * Parses `linux/amd64,linux/arm64/v8` into platforms, normalised as
 * containerd does (aliases like aarch64, arm64's default variant v8 dropped),
 * duplicates removed, order kept. Throws InputError naming `inputName`.
 */
export function parsePlatforms(text: string, inputName = 'platforms'): Platform[] {
  const items = text.split(/[,\n]/).map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new InputError(inputName, text, `${EXPECTED} (it is empty)`);
  const platforms: Platform[] = [];
  for (const item of items) {
    const platform = parsePlatform(item, inputName);
    if (!platforms.some((known) => samePlatform(known, platform))) platforms.push(platform);
  }
  return platforms;
}

/** Parses one `os/arch[/variant]`; throws InputError naming `inputName`. */
export function parsePlatform(text: string, inputName = 'platforms'): Platform {
  const parts = text.trim().toLowerCase().split('/');
  const fail = (why: string): never => {
    throw new InputError(inputName, text, `${EXPECTED} (${why})`);
  };
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !part)) fail(`"${text}" is not os/arch or os/arch/variant`);
  const [os = '', rawArch = '', variant] = parts;
  if (!OSES.has(os)) fail(`unknown operating system "${os}"; known: ${[...OSES].join(', ')}`);
  const architecture = ALIASES[rawArch] ?? rawArch;
  if (!ARCHES.has(architecture)) fail(`unknown architecture "${rawArch}"; known: ${[...ARCHES].join(', ')}`);
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

/** arm64's v8 is its only variant, so `linux/arm64/v8` and `linux/arm64` are one platform. */
export function normalizePlatform(platform: Platform): Platform {
  const architecture = ALIASES[platform.architecture] ?? platform.architecture;
  const { variant } = platform;
  const dropVariant = !variant || (architecture === 'arm64' && variant === 'v8');
  const normal: Platform = { os: platform.os, architecture };
  if (!dropVariant) normal.variant = variant;
  if (platform['os.version']) normal['os.version'] = platform['os.version'];
  return normal;
}

/** Whether two platforms are the same after normalisation (an arm without variant means v7). */
export function samePlatform(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  const variant = (p: Platform) => p.variant ?? (p.architecture === 'arm' ? 'v7' : '');
  return x.os === y.os && x.architecture === y.architecture && variant(x) === variant(y);
}

/** `os/arch[/variant]`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
