import { coreLogger, runner as core } from '@gantry/action-kit';
import { truncateSummary } from '@gantry/action-kit/markdown';
import { packageImage, renderSummary } from '@gantry/publish';
import { getInputs, type Inputs } from './inputs';

/** Reads the inputs, builds and publishes the image, and reports through outputs and the summary. */
export async function run(inputs: Inputs = getInputs()): Promise<void> {
  core.info(`Source date ${inputs.sourceDateEpoch} from ${inputs.sourceDateFrom}`);
  for (const skipped of inputs.skippedTags) core.info(`Tag ${skipped.tag} not published: ${skipped.reason}`);
  if (inputs.sbom || inputs.provenance) {
    core.info(inputs.attestor ? `SBOM and provenance: attached as referrers and signed through ${inputs.attestor.name}` : `SBOM and provenance: attached as referrers, unsigned (${inputs.unsignedReason})`);
  }

  const result = await packageImage({ ...inputs, logger: coreLogger });
  const { report } = result;
  const repository = inputs.image ? `${inputs.image.registry}/${inputs.image.repository}` : '';
  core.setOutput('digest', report.digest);
  core.setOutput('image', report.image);
  core.setOutput('tags', report.tags.map((t) => `${repository}:${t.tag}`).join('\n'));
  core.setOutput('base-digest', report.baseDigest);
  core.setOutput('size', report.size);
  core.setOutput('layers-uploaded', report.layersUploaded);
  core.setOutput('bytes-uploaded', report.bytesUploaded);
  core.setOutput('report', inputs.reportPath);
  core.appendSummary(truncateSummary(renderSummary(report, inputs.unsignedReason)));
  if (result.conflict) core.setFailed(`package-immutable-image failed: ${result.conflict.message}`);
  else if (report.image) core.info(`Deploy ${report.image}`);
}
