import { beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../run/run.ts';
import { followRoomLesson, openLesson, useLearn } from './store.ts';

describe('following the instructor', () => {
  beforeEach(() =>
    useLearn.setState({ openId: null, followed: null, runs: {} as Record<string, RunResult[]> }),
  );

  it('opens the lesson the instructor starts, once: the student may go back to the list', () => {
    followRoomLesson('batching');
    expect(useLearn.getState().openId).toBe('batching');
    openLesson(null);
    followRoomLesson('batching');
    expect(useLearn.getState().openId).toBeNull();
    followRoomLesson('caching');
    expect(useLearn.getState().openId).toBe('caching');
  });

  it('ignores an unknown lesson id and the end of a lesson', () => {
    openLesson('routing');
    followRoomLesson('not-a-lesson');
    followRoomLesson(null);
    expect(useLearn.getState().openId).toBe('routing');
  });
});
