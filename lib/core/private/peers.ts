import * as fs from 'fs';
import * as path from 'path';

/**
 * Every peer dependency of nhi-constructs is optional: an app installs only the peers of its
 * target. Each target entry point calls this first, so that importing it without one of its peers
 * fails at once with the package to install, instead of a bare "Cannot find module" from deep
 * inside the library.
 *
 * Only resolves the peers (a file lookup), never loads them.
 *
 * @param entryPoint the import path users wrote, e.g. `nhi-constructs/lib/cdktf-aws`
 * @param peers the packages this entry point loads
 * @param hint added to the message, e.g. what to import instead
 */
export function requirePeers(entryPoint: string, peers: string[], hint?: string): void {
  const missing = peers.filter((p) => !resolvable(p));
  if (missing.length === 0) return;
  const ranges = peerRanges();
  const specs = missing.map((p) => (ranges[p] ? `${p}@${ranges[p]}` : p));
  const error = new Error(
    `${entryPoint} needs the peer ${missing.length === 1 ? 'dependency' : 'dependencies'} ${missing.join(', ')}, ` +
    `which ${missing.length === 1 ? 'is' : 'are'} not installed. Install ${missing.length === 1 ? 'it' : 'them'} in your app: ` +
    `npm install ${specs.join(' ')}${hint ? `. ${hint}` : ''}`,
  );
  error.name = 'NhiMissingPeerError';
  throw error;
}

function resolvable(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch (e) {
    // A package whose exports map has no root entry is installed all the same.
    return (e as { code?: string }).code !== 'MODULE_NOT_FOUND';
  }
}

/** The peer ranges of this package (package.json at the package root, three levels up). */
function peerRanges(): Record<string, string> {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    return manifest.peerDependencies ?? {};
  } catch {
    return {};
  }
}
