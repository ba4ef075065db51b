// Jest global tear-down: remove the run's temporary folder (see tmp-setup.ts).
import * as fs from 'fs';

export default function teardown(): void {
  const dir = process.env.NHI_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
