#!/usr/bin/env node
// The CDK app: `npx cdk synth` runs this through tsx (see cdk.json).
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InvalidContextError, readNoticesConfig } from '../lib/config';
import { RegistryNoticesStack } from '../lib/registry-notices-stack';

const app = new App();

try {
  const config = readNoticesConfig(app);
  new RegistryNoticesStack(app, 'RegistryNotices', {
    config,
    description: 'registry-notices: gift-registry purchase notices to the owner only, with a ledger',
  });
  Tags.of(app).add('service', 'registry-notices');
  // AwsSolutions findings fail the synth; each accepted one is acknowledged, with its reason,
  // on the construct it concerns.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (error) {
  // A context mistake is the operator's to fix: say what is wrong, not where in our code.
  if (error instanceof InvalidContextError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
