import type { Attestor } from '@gantry/publish';

/**
 * GitHub artifact attestations through @actions/attest: Sigstore-signed with
 * the job's OIDC identity and stored by GitHub. Needs `id-token: write` and
 * `attestations: write`; it only runs on GitHub (there is no local stand-in
 * for Sigstore and the attestations API), so it is imported only when used.
 */
export function githubAttestor(token: string, attestationsUrl?: string): Attestor {
  return {
    name: 'GitHub artifact attestations',
    async attest(subject, predicateType, predicate) {
      const { attest } = await import('@actions/attest');
      const [algorithm = 'sha256', hex = ''] = subject.digest.split(':', 2);
      const result = await attest({ subjects: [{ name: subject.name, digest: { [algorithm]: hex } }], predicateType, predicate: predicate as object, token });
      return result.attestationID && attestationsUrl ? { url: `${attestationsUrl}/${result.attestationID}` } : {};
    },
  };
}
