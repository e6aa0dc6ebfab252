export { buildDockerfile } from './build';
export type { DockerfileBuildOptions, DockerfileBuildResult, DockerfileTool } from './build';
export { loadImageFromLayout } from './load';
export { DockerfileBuildError, LayoutImageError } from './errors';
export { baseRegistries, plainHttpBases } from './from';
