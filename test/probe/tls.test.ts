import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseChecks, probeOnce, runProbe } from '@gantry/probe';
import { missingTool } from '../support/tools';
import { selfSignedCertificate, startTarget, type Target } from './servers';

const skip = missingTool('openssl', ['version']);

describe.skipIf(skip)(`HTTPS with a self-signed certificate that expires in 2 days${skip ? ` (${skip})` : ''}`, () => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget(selfSignedCertificate(2));
  });
  afterAll(() => t.close());

  const shape = { durationMs: 1000, requests: 3, concurrency: 2, timeoutMs: 1000 };

  test('min-cert-days above the days left fails every request with reason tls, and reports the certificate', async () => {
    const checks = parseChecks({ checks: `- url: ${t.url}/health\n  insecure-tls: true\n  min-cert-days: 14` });
    const report = await runProbe(checks, shape);
    const check = report.checks[0]!;
    expect(check.tls).toMatchObject({ daysToExpiry: 1, subject: '127.0.0.1' });
    expect(Date.parse(check.tls!.validTo) - Date.now()).toBeGreaterThan(47 * 3600_000);
    expect(check.failuresByReason.tls).toEqual({
      count: 3,
      example: `certificate of 127.0.0.1 expires in 1 day (${check.tls!.validTo}), fewer than min-cert-days 14`,
    });
  });

  test('min-cert-days within the days left passes', async () => {
    const checks = parseChecks({ checks: `- url: ${t.url}/health\n  insecure-tls: true\n  min-cert-days: 1` });
    const report = await runProbe(checks, shape);
    expect(report.checks[0]).toMatchObject({ requests: 3, failures: 0, tls: { daysToExpiry: 1 } });
  });

  test('without insecure-tls the self-signed certificate is refused as a tls failure', async () => {
    const outcome = await probeOnce(parseChecks({ url: `${t.url}/health` })[0]!, 1000);
    expect(outcome).toMatchObject({ ok: false, reason: 'tls' });
    expect(outcome.message).toMatch(/self[- ]signed certificate/);
  });
});
