import { afterEach, describe, expect, it, vi } from 'vitest';
import { shallow } from 'zustand/shallow';

afterEach(() => vi.unstubAllGlobals());

describe('Measure store', () => {
  it('a download-progress frame changes nothing the Measure page renders from (only the progress view)', async () => {
    const { applyProgressFrame, pageSelection, useDownloadProgress, useMeasure } = await import('./store.ts');
    const before = pageSelection(useMeasure.getState());
    let pageStoreNotified = 0;
    const unsubscribe = useMeasure.subscribe(() => pageStoreNotified++);
    applyProgressFrame({ 'onnx/model.onnx': { file: 'onnx/model.onnx', loadedBytes: 10, totalBytes: 100 } });
    applyProgressFrame({ 'onnx/model.onnx': { file: 'onnx/model.onnx', loadedBytes: 60, totalBytes: 100 } });
    unsubscribe();
    expect(pageStoreNotified).toBe(0);
    expect(shallow(pageSelection(useMeasure.getState()), before)).toBe(true);
    expect(useDownloadProgress.getState().files['onnx/model.onnx']?.loadedBytes).toBe(60);
  });
});
