import * as fs from 'fs';
import * as path from 'path';

/** Every file under `dir` (any depth), as full paths, sorted; only those whose name ends with `suffix` if given. */
export function filesUnder(dir: string, suffix = ''): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .filter((p) => fs.statSync(p).isFile())
    .sort();
}
