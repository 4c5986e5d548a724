/**
 * A stand-in for the inference worker in unit tests (client and session): records the requests it is sent and
 * lets the test answer them, crash it, or see whether it was terminated.
 */
import type { Request, WorkerEvent } from './protocol.ts';

export class FakeWorker extends EventTarget {
  requests: Request[] = [];
  terminated = false;
  postMessage(request: Request) {
    this.requests.push(request);
  }
  terminate() {
    this.terminated = true;
  }
  emit(event: WorkerEvent) {
    this.dispatchEvent(new MessageEvent('message', { data: event }));
  }
  crash(message: string) {
    const event = new Event('error', { cancelable: true });
    Object.assign(event, { message });
    this.dispatchEvent(event);
  }
  /** The latest request of a type. */
  last<T extends Request['type']>(type: T) {
    return this.requests.filter((r): r is Extract<Request, { type: T }> => r.type === type).at(-1);
  }
}
