#!/usr/bin/env node
// The `nhi` binary: `nhi register|diff|check` over synth output directories (see docs/cli.md).
import { run } from './program';

process.exitCode = run(process.argv.slice(2));
