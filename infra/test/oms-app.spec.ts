import { App, cx_api as cxapi } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineOmsStack } from '../lib/oms-app';

const REPO_ROOT = join(__dirname, '..', '..');

describe('the CDK app as cdk.json configures it (what `cdk synth` runs)', () => {
  it('synthesizes a cloud assembly whose image is built from docker/Dockerfile with the repository as context', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'oms-cdk-'));
    try {
      const { context } = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, string> };
      // Asset staging off: the build context is not copied, the Dockerfile is still required to exist.
      const app = new App({ outdir, context: { ...context, 'aws:cdk:disable-asset-staging': true } });
      defineOmsStack(app, REPO_ROOT);
      const assembly = app.synth();
      const stack = assembly.getStackByName('Oms');
      expect(Object.keys(stack.template.Resources as object).length).toBeGreaterThan(50);
      const manifest = assembly.artifacts.find((artifact) => artifact instanceof cxapi.AssetManifestArtifact);
      const images = Object.values(manifest?.contents.dockerImages ?? {}).map((image) => image.source);
      expect(images).toEqual([expect.objectContaining({ directory: REPO_ROOT, dockerFile: 'docker/Dockerfile', platform: 'linux/amd64' })]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
