export const id = 214;
export const ids = [214];
export const modules = {

/***/ 7214:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildDockerfile: () => (/* reexport */ buildDockerfile),
  loadImageFromLayout: () => (/* reexport */ loadImageFromLayout)
});

// UNUSED EXPORTS: DockerfileBuildError, LayoutImageError, baseRegistries, plainHttpBases

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/action-kit/src/index.ts + 7 modules
var src = __webpack_require__(8728);
// EXTERNAL MODULE: ./packages/oci/src/index.ts + 11 modules
var oci_src = __webpack_require__(6135);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./packages/image/src/index.ts + 31 modules
var image_src = __webpack_require__(1422);
;// CONCATENATED MODULE: ./packages/dockerfile/src/containers.ts


/**
 * The containers.conf and storage.conf buildah needs where it runs as root
 * without systemd (this machine, CI containers): cgroupfs, runc, ulimits it
 * may set, and vfs storage in `workDir` — the settings NOTES.md gives for
 * podman. A caller's own CONTAINERS_CONF / CONTAINERS_STORAGE_CONF win.
 */
async function containersSetup(workDir, base) {
    const env = { ...base };
    const dir = (0,external_node_path_.join)(workDir, 'containers');
    await (0,promises_.mkdir)(dir, { recursive: true });
    if (!env.CONTAINERS_CONF) {
        env.CONTAINERS_CONF = (0,external_node_path_.join)(dir, 'containers.conf');
        await (0,promises_.writeFile)(env.CONTAINERS_CONF, '[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4000:4000"]\n');
    }
    if (env.CONTAINERS_STORAGE_CONF)
        return { env };
    const storage = (0,external_node_path_.join)(dir, 'storage');
    env.CONTAINERS_STORAGE_CONF = (0,external_node_path_.join)(dir, 'storage.conf');
    await (0,promises_.writeFile)(env.CONTAINERS_STORAGE_CONF, `[storage]\ndriver = "vfs"\ngraphroot = ${toml((0,external_node_path_.join)(storage, 'graph'))}\nrunroot = ${toml((0,external_node_path_.join)(storage, 'run'))}\n`);
    return { env, tempStorage: storage };
}
function toml(text) {
    return JSON.stringify(text);
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./packages/dockerfile/src/exec.ts

const TAIL_LINES = 25;
/**
 * Runs a build tool, passing each output line to `logger.info` (builds are
 * long; their progress belongs in the log) and keeping the last lines for an
 * error. Never throws for a non-zero exit: the caller words the error.
 */
function runTool(command, args, options) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        const tail = [];
        let stdout = '';
        const lines = (stream, keep) => {
            let rest = '';
            stream.setEncoding('utf8');
            stream.on('data', (chunk) => {
                if (keep)
                    stdout += chunk;
                const parts = (rest + chunk).split('\n');
                rest = parts.pop() ?? '';
                parts.forEach(emit);
            });
            stream.on('end', () => rest && emit(rest));
        };
        const emit = (line) => {
            const text = line.replace(/\r$/, '');
            if (!text.trim())
                return;
            tail.push(text);
            if (tail.length > TAIL_LINES)
                tail.shift();
            if (options.quiet)
                options.logger.debug(text);
            else
                options.logger.info(text);
        };
        lines(child.stdout, true);
        lines(child.stderr, false);
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, tail, stdout }));
    });
}
/** The stdout of `command args` when it runs and exits 0, else undefined (tool detection). */
async function probe(command, args, env) {
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
        let stdout = '';
        child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('error', () => (clearTimeout(timer), resolve(undefined)));
        child.on('close', (code) => (clearTimeout(timer), resolve(code === 0 ? stdout : undefined)));
    });
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/from.ts

/** containers/image transports other than a registry: no network involved. */
const TRANSPORT = /^(oci|oci-archive|docker-archive|docker-daemon|containers-storage|dir):/;
/**
 * The registries a Dockerfile's `FROM` lines pull from. Stage names, `scratch`,
 * and transport references (`oci:…`, `docker-archive:…`) are not registries
 * and are left out; `undefined` stands for a reference built from `$ARG`s or
 * one that could not be read (an unknown registry).
 */
function baseRegistries(dockerfile) {
    const stages = new Set();
    const registries = [];
    // Line continuations joined first, so `FROM \` on its own line still reads.
    for (const line of dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
        const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
        if (!match)
            continue;
        const ref = match[1].replace(/^docker:\/\//, '');
        const earlierStage = stages.has(ref.toLowerCase());
        if (match[2])
            stages.add(match[2].toLowerCase());
        if (ref === 'scratch' || earlierStage || TRANSPORT.test(ref))
            continue;
        if (ref.includes('$')) {
            registries.push(undefined);
            continue;
        }
        try {
            registries.push((0,oci_src/* parseReference */.F2)(ref).registry);
        }
        catch {
            registries.push(undefined);
        }
    }
    return registries;
}
/**
 * Whether buildah may pull bases without TLS (`--tls-verify=false`, which
 * then holds for every registry of the build): only when every registry the
 * Dockerfile names is on loopback (plain HTTP, as Docker does) or listed as
 * insecure, so a public base is never fetched unverified alongside them.
 */
function plainHttpBases(dockerfile, insecureRegistries) {
    const registries = baseRegistries(dockerfile);
    return registries.length > 0 && registries.every((registry) => registry !== undefined && ((0,oci_src/* isLoopback */.U9)(registry) || insecureRegistries.includes(registry)));
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/buildah.ts






/**
 * `buildah build` into a throw-away image name, then `buildah push` (one
 * platform) or `buildah manifest push --all` (several) to `oci:LAYOUT:REF`.
 * Reproducible: `--timestamp` sets the config's created time, history times
 * and every file's mtime in new layers; the identity label (buildah's
 * version) is left out; `--layers=false` gives one layer for the build's steps;
 * several platforms are built one after another so the index lists them in
 * the order asked.
 */
async function buildWithBuildah(build) {
    const { env, tempStorage } = await containersSetup(build.workDir, process.env);
    const name = `localhost/gantry-dockerfile:${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`;
    const multi = build.platforms.length > 1;
    const plainHttp = plainHttpBases(await (0,promises_.readFile)(build.dockerfile, 'utf8'), build.insecureRegistries);
    const args = (platform) => [
        'build',
        '--file', build.dockerfile,
        '--platform', (0,image_src/* formatPlatform */.Bq)(platform),
        '--timestamp', String(build.sourceDateEpoch),
        '--identity-label=false',
        '--layers=false',
        '--force-rm',
        // Like BuildKit, which offers SOURCE_DATE_EPOCH to the Dockerfile as a build argument.
        '--build-arg', `SOURCE_DATE_EPOCH=${build.sourceDateEpoch}`,
        ...Object.entries(build.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
        ...(plainHttp ? ['--tls-verify=false'] : []),
        multi ? '--manifest' : '--tag', name,
        build.context,
    ];
    const tool = (step, toolArgs, quiet = false) => runTool('buildah', toolArgs, { env, logger: build.logger, quiet }).then((run) => ({ step, run }));
    try {
        // One platform at a time, in the order asked: built together, they join the list in the order they finish, and the index digest varies.
        for (const platform of build.platforms) {
            const built = await tool('buildah build', args(platform));
            if (built.run.code !== 0)
                return built;
        }
        const destination = `oci:${build.layoutDir}:${build.refName}`;
        const pushed = multi ? await tool('buildah manifest push', ['manifest', 'push', '--all', name, destination]) : await tool('buildah push', ['push', name, destination]);
        if (pushed.run.code !== 0)
            return pushed;
        return undefined;
    }
    finally {
        // The build's images (and with a temporary storage, all of it) go; the layout holds the result.
        if (multi)
            await tool('cleanup', ['manifest', 'rm', name], true);
        await tool('cleanup', tempStorage ? ['rmi', '--all', '--force'] : ['rmi', '--force', name], true);
        if (tempStorage)
            await (0,promises_.rm)(tempStorage, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/buildx.ts


/**
 * `docker buildx build` with the OCI exporter writing a layout directory.
 * Reproducible as BuildKit documents it: SOURCE_DATE_EPOCH in the
 * environment sets config and history times, `rewrite-timestamp=true` clamps
 * every file's mtime in new layers to it; no provenance or SBOM attestations,
 * which would go into the index and change its digest on every run (Gantry
 * attaches its own as referrers).
 */
async function buildWithBuildx(build) {
    const env = { ...process.env, SOURCE_DATE_EPOCH: String(build.sourceDateEpoch) };
    const args = [
        'buildx', 'build',
        '--file', build.dockerfile,
        '--platform', build.platforms.map(image_src/* formatPlatform */.Bq).join(','),
        '--provenance=false',
        '--sbom=false',
        '--build-arg', `SOURCE_DATE_EPOCH=${build.sourceDateEpoch}`,
        ...Object.entries(build.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
        '--output', `type=oci,dest=${build.layoutDir},tar=false,rewrite-timestamp=true,name=gantry.local/dockerfile:${build.refName}`,
        build.context,
    ];
    const run = await runTool('docker', args, { env, logger: build.logger });
    return run.code === 0 ? undefined : { step: 'docker buildx build', run };
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/errors.ts
/** A Dockerfile build that could not run or failed; the message names the `dockerfile` input and ends with the tool's last lines. */
class DockerfileBuildError extends Error {
    name = 'DockerfileBuildError';
}
/** An OCI layout that does not hold a loadable image under the name asked for. */
class LayoutImageError extends Error {
    name = 'LayoutImageError';
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/build.ts









const REF_NAME = 'dockerfile';
/**
 * Builds a Dockerfile reproducibly with docker buildx or buildah into an OCI
 * layout. A missing context or Dockerfile is an InputError; a failing build
 * is one DockerfileBuildError naming the `dockerfile` input, the tool's step
 * and its last output lines.
 */
async function buildDockerfile(options) {
    const context = (0,external_node_path_.resolve)(options.context);
    const dockerfile = (0,external_node_path_.resolve)(options.dockerfile);
    if (!(await isKind(context, 'directory')))
        throw new src/* InputError */.dz('context', options.context, 'a directory that exists (the Docker build context)');
    if (!(await isKind(dockerfile, 'file')))
        throw new src/* InputError */.dz('dockerfile', options.dockerfile, 'a Dockerfile that exists (absolute, or relative to the working directory)');
    if (options.platforms.length === 0)
        throw new src/* InputError */.dz('platforms', '', 'at least one platform, like linux/amd64');
    const epoch = options.sourceDateEpoch;
    if (!Number.isInteger(epoch) || epoch < 0)
        throw new src/* InputError */.dz('source-date-epoch', String(epoch), 'a whole number of seconds since 1970-01-01 (0 or more)');
    const tool = await chooseTool(options.tool ?? 'auto');
    const workDir = options.workDir ?? (await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'gantry-dockerfile-')));
    const layoutDir = (0,external_node_path_.join)(workDir, 'oci-layout');
    const build = {
        context,
        dockerfile,
        platforms: options.platforms,
        sourceDateEpoch: epoch,
        buildArgs: options.buildArgs ?? {},
        insecureRegistries: options.insecureRegistries ?? [],
        layoutDir,
        refName: REF_NAME,
        workDir,
        logger: options.logger,
    };
    options.logger.info(`Building ${options.dockerfile} with ${tool} (SOURCE_DATE_EPOCH=${epoch})`);
    const failure = tool === 'buildah' ? await buildWithBuildah(build) : await buildWithBuildx(build);
    if (failure)
        throw buildError(options.dockerfile, failure);
    if (tool === 'docker-buildx')
        await nameSoleManifest(layoutDir, REF_NAME);
    return { layoutDir, refName: REF_NAME, tool };
}
/**
 * `auto`: buildx when its builder is not the plain `docker` driver (whose
 * OCI export needs the containerd image store: GitHub's runners lack it
 * until docker/setup-buildx-action makes a docker-container builder), else
 * buildah when it runs, else buildx on the docker driver all the same.
 */
async function chooseTool(wanted) {
    const hasBuildx = async () => (await probe('docker', ['buildx', 'version'], process.env)) !== undefined;
    const hasBuildah = async () => (await probe('buildah', ['--version'], process.env)) !== undefined;
    if (wanted === 'docker') {
        if (await hasBuildx())
            return 'docker-buildx';
        throw new DockerfileBuildError('Input "dockerfile": tool docker was asked for, but `docker buildx version` does not run here');
    }
    if (wanted === 'buildah') {
        if (await hasBuildah())
            return 'buildah';
        throw new DockerfileBuildError('Input "dockerfile": tool buildah was asked for, but `buildah --version` does not run here');
    }
    const inspect = (await hasBuildx()) ? await probe('docker', ['buildx', 'inspect'], process.env) : undefined;
    const driver = inspect === undefined ? undefined : (/^Driver:\s*(\S+)/m.exec(inspect)?.[1] ?? 'unknown');
    if (driver && driver !== 'docker')
        return 'docker-buildx';
    if (await hasBuildah())
        return 'buildah';
    if (driver)
        return 'docker-buildx';
    throw new DockerfileBuildError('Input "dockerfile" needs docker buildx or buildah, and neither runs here (install buildah, or use docker/setup-buildx-action)');
}
function buildError(dockerfile, failure) {
    const exit = failure.run.code === null ? 'was killed' : `exited with ${failure.run.code}`;
    const tail = failure.run.tail.map((line) => `  ${line}`).join('\n');
    const said = (text) => failure.run.tail.some((line) => line.includes(text));
    const hint = said('HTTP response to HTTPS client')
        ? '\nThe base image is on a plain-HTTP registry: list it in the "insecure-registries" input.'
        : said('not supported for the docker driver')
            ? '\nThe docker driver cannot export OCI images: run docker/setup-buildx-action first (a docker-container builder), or turn on the containerd image store.'
            : '';
    return new DockerfileBuildError(`Input "dockerfile" (${dockerfile}): ${failure.step} ${exit}; its last lines:\n${tail}${hint}`);
}
/** BuildKit names the image after the exporter's `name`; if its ref name differs, the one manifest is listed under ours. */
async function nameSoleManifest(layoutDir, refName) {
    const layout = await oci_src/* OciLayout */.Al.open(layoutDir);
    if (await layout.resolve(refName))
        return;
    const { manifests } = await layout.index();
    if (manifests.length !== 1)
        throw new DockerfileBuildError(`docker buildx wrote ${manifests.length} images to ${layoutDir}; expected one`);
    const { annotations: _ignored, ...descriptor } = manifests[0];
    await layout.addManifest(descriptor, refName);
}
async function isKind(path, kind) {
    const info = await (0,promises_.stat)(path).catch(() => undefined);
    return kind === 'file' ? Boolean(info?.isFile()) : Boolean(info?.isDirectory());
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/load.ts


const INDEX_TYPES = [oci_src/* MEDIA_TYPES */.Z2.ociIndex, oci_src/* MEDIA_TYPES */.Z2.dockerManifestList];
const MANIFEST_TYPES = [oci_src/* MEDIA_TYPES */.Z2.ociManifest, oci_src/* MEDIA_TYPES */.Z2.dockerManifest];
const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';
/**
 * Reads an image from an OCI layout as a BuiltImage, so a Dockerfile build
 * is pushed, tagged and reported like any image Gantry assembles. Manifests
 * and configs are verified against their digests, layers checked present
 * (the registry verifies them on push). All blobs are
 * `origin: 'new'` with `{ path }` content in the layout: builders recompress
 * the base's layers (buildah does), so layer digests cannot be matched to
 * the base's, and a registry that has a layer is never sent it again anyway.
 * The base's name and digest come from the standard annotations when the
 * builder wrote them.
 */
async function loadImageFromLayout(layoutDir, refName) {
    const layout = await oci_src/* OciLayout */.Al.open(layoutDir);
    const top = await layout.resolve(refName);
    if (!top)
        throw new LayoutImageError(`${layoutDir} lists no image named ${JSON.stringify(refName)}`);
    const bytes = await read(layout, top.digest);
    const parsed = parseJson(bytes, top.digest);
    const mediaType = parsed.mediaType ?? top.mediaType;
    const descriptor = { mediaType, digest: top.digest, size: bytes.length };
    const blobs = new Map();
    const loadManifest = async (entry, manifestBytes) => {
        const manifest = parseJson(manifestBytes, entry.digest);
        if (!manifest.config || !Array.isArray(manifest.layers))
            throw new LayoutImageError(`${layoutDir}: ${entry.digest} is not an image manifest`);
        const config = parseJson(await read(layout, manifest.config.digest), manifest.config.digest);
        for (const blob of [manifest.config, ...manifest.layers]) {
            await readable(layout, blob.digest);
            blobs.set(blob.digest, { descriptor: blob, content: { path: layout.blobPath(blob.digest) }, origin: 'new' });
        }
        const platform = entry.platform ?? { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
        return { platform, descriptor: { mediaType: manifest.mediaType ?? entry.mediaType, digest: entry.digest, size: manifestBytes.length, platform }, manifest, bytes: manifestBytes, config };
    };
    let manifests;
    if (INDEX_TYPES.includes(mediaType)) {
        // Attestation manifests (platform unknown/unknown) are not images to run.
        const images = parsed.manifests.filter((d) => MANIFEST_TYPES.includes(d.mediaType) && d.platform?.os !== 'unknown');
        manifests = [];
        for (const entry of images)
            manifests.push(await loadManifest(entry, await read(layout, entry.digest)));
        if (manifests.length === 0)
            throw new LayoutImageError(`${layoutDir}: the index ${top.digest} lists no image manifests`);
    }
    else if (MANIFEST_TYPES.includes(mediaType)) {
        manifests = [await loadManifest(descriptor, bytes)];
    }
    else {
        throw new LayoutImageError(`${layoutDir}: ${refName} has unsupported media type ${mediaType}`);
    }
    const first = manifests[0];
    const layers = [];
    const seen = new Set();
    for (const image of manifests) {
        image.manifest.layers.forEach((layer, i) => {
            if (seen.has(layer.digest))
                return;
            seen.add(layer.digest);
            layers.push({ digest: layer.digest, size: layer.size, origin: 'new', diffId: image.config.rootfs.diff_ids[i] });
        });
    }
    const annotations = { ...first.manifest.annotations, ...parsed.annotations };
    return {
        digest: top.digest,
        mediaType,
        bytes,
        descriptor: manifests.length === 1 && descriptor.digest === first.descriptor.digest ? first.descriptor : descriptor,
        manifests,
        blobs,
        baseName: annotations[BASE_NAME] ?? 'unknown (Dockerfile build)',
        baseDigest: annotations[BASE_DIGEST],
        platforms: manifests.map((m) => m.platform),
        layers,
        skipped: [],
        packaged: [],
        created: first.config.created ?? '',
    };
}
async function read(layout, digest) {
    try {
        return await layout.readBlob(digest);
    }
    catch (error) {
        if (error instanceof oci_src/* OciLayoutError */.mV)
            throw new LayoutImageError(error.message);
        throw error;
    }
}
/** Layers are large: checked by size-free existence here; the push verifies them against their digests. */
async function readable(layout, digest) {
    if (!(await layout.hasBlob(digest)))
        throw new LayoutImageError(`${layout.dir} has no blob ${digest}`);
}
function parseJson(bytes, what) {
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new LayoutImageError(`${what} is not JSON`);
    }
}

;// CONCATENATED MODULE: ./packages/dockerfile/src/index.ts






/***/ })

};
