import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exceptionKind, nationalIdKind, profileId, slotChannel, specialtyKind } from '../../src-shared/domain/enums.js';
import { directoryFile } from '../../src-shared/sync/directory-file.js';

/** Issue 24 finding 8: the directory file is documented, and the document stays true — its example loads, its lists of values are the code's. */
const doc = readFileSync('docs/directory-file.md', 'utf8');

describe('docs/directory-file.md', () => {
  it('its example is a directory file the server takes', () => {
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const parsed = directoryFile.safeParse(JSON.parse(example));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('names every value the code allows for kinds, channels, profiles and ID kinds', () => {
    for (const e of [specialtyKind, slotChannel, exceptionKind, profileId, nationalIdKind]) for (const v of e.options) expect(doc, v).toContain(`\`${v}\``);
  });
});
