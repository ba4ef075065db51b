import * as fs from 'fs';
import * as path from 'path';
import { closestGoogleRoles, googleRoleByCase, googleRoleCatalogueSource, googleRoleNames, lookupGoogleRole } from '../../../lib/core/private/google-roles';
import { encodeGoogleRoles, encodeRuns, FRONT_CODE_BLOCK, frontCode, RawGoogleRoles } from '../../../scripts/gcp-roles';

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
    // Every block starts with a name in full, so a reader decodes only the blocks a role needs.
    const many = Array.from({ length: FRONT_CODE_BLOCK * 2 + 1 }, (_, i) => `svc.res.perm${String(i).padStart(4, '0')}`);
    const coded = frontCode(many);
    expect(coded.filter((e) => e.startsWith('0|'))).toEqual(['0|svc.res.perm0000', `0|svc.res.perm${String(FRONT_CODE_BLOCK).padStart(4, '0')}`, `0|svc.res.perm${String(FRONT_CODE_BLOCK * 2).padStart(4, '0')}`]);
    expect(coded[1]).toBe('f|1');
    expect(encodeGoogleRoles(raw).roles).toEqual({ 'a.viewer': ['GA', 'A Viewer', '0+2'], 'b.user': ['BETA', 'B', '0,3'] });
  });

  test('a role decodes to the same permissions whatever was decoded before it (names are decoded on demand)', () => {
    // Each order starts from a fresh module: nothing decoded yet.
    const decodeAll = (order: string[]): Map<string, readonly string[]> => {
      let out = new Map<string, readonly string[]>();
      jest.isolateModules(() => {
        const fresh = require('../../../lib/core/private/google-roles') as typeof import('../../../lib/core/private/google-roles');
        out = new Map(order.map((n) => [n, fresh.lookupGoogleRole(n)!.permissions]));
      });
      return out;
    };
    const names = googleRoleNames();
    const forward = decodeAll(names);
    const backward = decodeAll([...names].reverse());
    // Every name decoded alone, from the list's front-coding (a reference decoder, in full).
    const shipped = JSON.parse(fs.readFileSync(path.join(DATA, 'gcp-roles.json'), 'utf8')) as { permissions: string[] };
    let prev = '';
    const all = shipped.permissions.map((e) => {
      const bar = e.indexOf('|');
      prev = prev.slice(0, parseInt(e.slice(0, bar), 36)) + e.slice(bar + 1);
      return prev;
    });
    const known = new Set(all);
    const differ = names.filter((n) => backward.get(n)!.join('\n') !== forward.get(n)!.join('\n'));
    const unknown = names.flatMap((n) => forward.get(n)!.filter((p) => !known.has(p)));
    expect({ differ, unknown }).toEqual({ differ: [], unknown: [] });
    // A late role first, then the role just before it in the list: both complete.
    const late = decodeAll(['roles/storage.objectViewer', 'roles/accessapproval.approver']);
    expect(late.get('roles/storage.objectViewer')).toEqual(forward.get('roles/storage.objectViewer'));
    expect(late.get('roles/accessapproval.approver')).toEqual(forward.get('roles/accessapproval.approver'));
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
