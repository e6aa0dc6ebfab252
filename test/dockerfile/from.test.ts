import { describe, expect, it } from 'vitest';
import { baseRegistries, plainHttpBases } from '@gantry/dockerfile';

describe('the registries a Dockerfile pulls from', () => {
  it('reads FROM lines, leaving out stages, scratch and transports', () => {
    const dockerfile = [
      'ARG VERSION=1',
      'FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/tools@sha256:' + 'a'.repeat(64) + ' AS build',
      'from node:20 as deps',
      'FROM \\',
      '  ghcr.io/owner/base:1',
      'FROM build',
      'FROM scratch',
      'FROM oci:/layouts/base:busybox',
      'FROM docker://localhost:5001/app:2',
      'RUN echo FROM nothing',
    ].join('\n');
    expect(baseRegistries(dockerfile)).toEqual(['127.0.0.1:5000', 'docker.io', 'ghcr.io', 'localhost:5001']);
  });

  it('counts a reference made of build arguments as unknown', () => {
    expect(baseRegistries('ARG BASE\nFROM ${BASE}\n')).toEqual([undefined]);
  });

  it('allows plain HTTP only when every registry is loopback or listed insecure', () => {
    expect(plainHttpBases('FROM 127.0.0.1:5000/base:1\nFROM [::1]:5000/other:1\n', [])).toBe(true);
    expect(plainHttpBases('FROM registry.lan:5000/base:1\n', ['registry.lan:5000'])).toBe(true);
    expect(plainHttpBases('FROM 127.0.0.1:5000/base:1 AS a\nFROM alpine:3\n', [])).toBe(false);
    expect(plainHttpBases('FROM $BASE\n', ['registry.lan:5000'])).toBe(false);
    expect(plainHttpBases('FROM oci:/layouts/base:busybox\n', [])).toBe(false);
  });
});
