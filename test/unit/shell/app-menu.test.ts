import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate } from '../../../main/shell/app-menu';

describe('application menu', () => {
  it('is an Edit menu on macOS and none elsewhere', () => {
    expect(applicationMenuTemplate('darwin')).toEqual([{ role: 'editMenu' }]);
    expect(applicationMenuTemplate('win32')).toBeNull();
    expect(applicationMenuTemplate('linux')).toBeNull();
  });
});
