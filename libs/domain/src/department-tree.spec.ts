import { describe, expect, it } from '@jest/globals';
import { DepartmentTree } from './department-tree.js';

describe('DepartmentTree', () => {
  const tree = new DepartmentTree([
    { id: 'top', parentId: null },
    { id: 'office', parentId: 'top' },
    { id: 'unit', parentId: 'office' },
    { id: 'loop-a', parentId: 'loop-b' },
    { id: 'loop-b', parentId: 'loop-a' },
  ]);

  it('walks up the supervising chain, nearest first, to the organisation at the top', () => {
    expect(tree.chain('unit').map((department) => department.id)).toEqual(['unit', 'office', 'top']);
    expect(tree.root('unit')?.id).toBe('top');
    expect(tree.root('top')?.id).toBe('top');
  });

  it('knows nothing of an unknown department, and stops at a cycle in bad data', () => {
    expect(tree.chain('nowhere')).toEqual([]);
    expect(tree.root(null)).toBeNull();
    expect(tree.chain('loop-a').map((department) => department.id)).toEqual(['loop-a', 'loop-b']);
  });

  it('walks down: the departments below one, and its whole subtree (itself first), even through a cycle', () => {
    expect(tree.children(null).map((department) => department.id)).toEqual(['top']);
    expect(tree.children('top').map((department) => department.id)).toEqual(['office']);
    expect(tree.subtree('office').map((department) => department.id)).toEqual(['office', 'unit']);
    expect(tree.subtree('top').map((department) => department.id)).toEqual(['top', 'office', 'unit']);
    expect(tree.subtree('nowhere')).toEqual([]);
    expect(tree.subtree('loop-a').map((department) => department.id).sort()).toEqual(['loop-a', 'loop-b']);
  });
});
