/** A Dockerfile build that could not run or failed; the message names the `dockerfile` input and ends with the tool's last lines. */
export class DockerfileBuildError extends Error {
  override name = 'DockerfileBuildError';
}

/** An OCI layout that does not hold a loadable image under the name asked for. */
export class LayoutImageError extends Error {
  override name = 'LayoutImageError';
}
