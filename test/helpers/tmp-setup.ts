// Jest global set-up: point TMPDIR (read by os.tmpdir() in every worker, which inherit the
// environment) at one fresh folder, so that tmp-teardown.ts removes whatever the tests created.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-jest-'));
  process.env.NHI_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
