import * as fs from 'fs';
import * as path from 'path';
import { closestGoogleRoles, googleRoleByCase, googleRoleCatalogueSource, googleRoleNames, lookupGoogleRole } from '../../../lib/core/private/google-roles';
import { encodeGoogleRoles, encodeRuns, frontCode, RawGoogleRoles } from '../../../scripts/gcp-roles';

const ROOT = path.join(__dirname, '..', '..', '..');
const DATA = path.join(ROOT, 'lib', 'core', 'data');
// The shared data set the catalogue is built from (present in the development checkout).
const SOURCE = path.join(ROOT, '..', 'shared', 'data', 'gcp-iam-roles.json');

describe('the shipped Google role catalogue (lib/core/data/gcp-roles.json)', () => {
  test('holds every predefined role with its stage, title and permissions', () => {
    expect(googleRoleNames()).toHaveLength(2461);
    const viewer = lookupGoogleRole('roles/storage.objectViewer')!;
    expect(viewer.title).toBe('Storage Object Viewer');
    expect(viewer.stage).toBe('GA');
    expect(viewer.permissions).toEqual(expect.arrayContaining(['storage.objects.get', 'storage.objects.list']));
    expect(viewer.permissions).not.toContain('storage.objects.delete');
    expect(lookupGoogleRole('roles/apigee.apiReader')!.stage).toBe('DEPRECATED');
    expect(googleRoleCatalogueSource()).toMatch(/iann0036\/iam-dataset .*MIT/);
  });

  test('unknown names, custom roles and prototype keys are not roles', () => {
    for (const name of ['roles/foo.bar', 'projects/p/roles/x', 'roles/constructor', 'roles/__proto__', 'roles/', 'storage.objectViewer']) {
      expect(lookupGoogleRole(name)).toBeUndefined();
    }
    expect(googleRoleByCase('ROLES/STORAGE.OBJECTVIEWER')).toBe('roles/storage.objectViewer');
    expect(closestGoogleRoles('roles/storage.objectViwer')[0]).toBe('roles/storage.objectViewer');
    expect(closestGoogleRoles('roles/secretmanager.secretAccesor')[0]).toBe('roles/secretmanager.secretAccessor');
  });

  test('ships with its licence, inside the npm package', () => {
    expect(fs.readFileSync(path.join(DATA, 'gcp-roles.LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const npmignore = fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(npmignore.filter((l) => /data|\*\.json|^\/?lib\/core/.test(l))).toEqual([]);
  });

  test('the encoding round-trips (front-coded names, permission runs)', () => {
    const raw: RawGoogleRoles = {
      source: 's',
      permissions: ['a.b.get', 'a.b.list', 'a.c.get', 'b.x.y', 'b.x.z'],
      roles: { 'roles/a.viewer': { title: 'A Viewer', stage: 'GA', p: [0, 1, 2] }, 'roles/b.user': { title: 'B', stage: 'BETA', p: [4, 0] } },
    };
    expect(frontCode(raw.permissions)).toEqual(['0|a.b.get', '4|list', '2|c.get', '0|b.x.y', '4|z']);
    expect(encodeRuns([0, 1, 2, 7, 9, 10])).toBe('0+2,4,1+1');
    expect(encodeGoogleRoles(raw).roles).toEqual({ 'a.viewer': ['GA', 'A Viewer', '0+2'], 'b.user': ['BETA', 'B', '0,3'] });
  });

  (fs.existsSync(SOURCE) ? test : test.skip)('is what scripts/gcp-roles.ts builds from the shared data set, and decodes to it exactly', () => {
    const raw = JSON.parse(fs.readFileSync(SOURCE, 'utf8')) as RawGoogleRoles;
    expect(fs.readFileSync(path.join(DATA, 'gcp-roles.json'), 'utf8')).toBe(`${JSON.stringify(encodeGoogleRoles(raw))}\n`);
    for (const [name, r] of Object.entries(raw.roles)) {
      const info = lookupGoogleRole(name)!;
      expect([...info.permissions].sort()).toEqual(r.p.map((i) => raw.permissions[i]).sort());
    }
  });
});
