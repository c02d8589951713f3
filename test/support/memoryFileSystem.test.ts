import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFailure } from '../../server/src/service/fileSystem';
import { memoryFileSystem } from './memoryFileSystem';

// The memory file system behaves as the service expects of the disk: the service's tests rely on it.

test('files, the folders they imply, empty folders; Node\'s error codes for what cannot be read', () => {
  const fs = memoryFileSystem({ '/ws/a/policy.json': '{}', '/ws/é.json': 'é', '/ws/.git/': '' });
  assert.equal(fs.readFile('/ws/a/policy.json'), '{}');
  assert.equal(fs.readFile('/ws/a/../a/policy.json'), '{}');
  assert.deepEqual(fs.readDirectory('/ws'), [
    { name: '.git', isDirectory: true, isFile: false },
    { name: 'a', isDirectory: true, isFile: false },
    { name: 'é.json', isDirectory: false, isFile: true },
  ]);
  assert.deepEqual(fs.readDirectory('/'), [{ name: 'ws', isDirectory: true, isFile: false }]);
  assert.deepEqual(fs.readDirectory('/ws/.git'), []);
  assert.deepEqual(fs.readDirectory('/missing'), []);
  assert.deepEqual(fs.stat('/ws/.git'), { size: 0, modified: 0, isDirectory: true });
  assert.equal(fs.stat('/ws/é.json')?.size, 2);
  assert.equal(fs.stat('/ws/missing.json'), undefined);
  const failure = (read: () => unknown): string => {
    try {
      read();
    } catch (error) {
      return readFailure(error);
    }
    return 'read';
  };
  assert.equal(failure(() => fs.readFile('/ws/missing.json')), 'ENOENT');
  assert.equal(failure(() => fs.readFile('/ws/a')), 'EISDIR');
});

test('write and remove: a rewritten file has a new modified stamp; a removed one is gone', () => {
  const fs = memoryFileSystem({ '/ws/unused-access.json': '[]' });
  const first = fs.stat('/ws/unused-access.json')!.modified;
  fs.write('/ws/unused-access.json', '[ ]');
  const second = fs.stat('/ws/unused-access.json')!;
  assert.notEqual(second.modified, first);
  assert.equal(second.size, 3);
  fs.write('/ws/new/deep/file.json', 'x');
  assert.deepEqual(fs.readDirectory('/ws').map((e) => e.name), ['new', 'unused-access.json']);
  fs.remove('/ws/unused-access.json');
  assert.equal(fs.stat('/ws/unused-access.json'), undefined);
  assert.throws(() => fs.remove('/ws/unused-access.json'), { code: 'ENOENT' });
  fs.remove('/ws/new/deep/file.json');
  assert.deepEqual(fs.readDirectory('/ws'), []);
});
