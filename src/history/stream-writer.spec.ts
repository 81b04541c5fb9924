import type { Response } from 'express';
import { FLUSH_MS, MAX_UNSENT_BYTES, StreamWriter } from './stream-writer';

/** A response that records its writes and reports `unsent` bytes as not yet sent. */
function fakeResponse(unsent = 0) {
  const writes: string[] = [];
  const response = { write: (text: string) => writes.push(text), writableLength: unsent } as unknown as Response;
  return { response, writes };
}

describe(StreamWriter.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes what each stream was sent within FLUSH_MS in one write, in order', () => {
    const writer = new StreamWriter();
    const a = fakeResponse();
    const b = fakeResponse();
    writer.send(a.response, 'id: 1\n\n', jest.fn());
    writer.send(b.response, 'event: notification\n\n', jest.fn());
    writer.send(a.response, 'event: notification\n\n', jest.fn());
    expect(a.writes).toEqual([]);
    jest.advanceTimersByTime(FLUSH_MS);
    expect(a.writes).toEqual(['id: 1\n\nevent: notification\n\n']);
    expect(b.writes).toEqual(['event: notification\n\n']);
    writer.send(a.response, 'id: 2\n\n', jest.fn());
    jest.advanceTimersByTime(FLUSH_MS);
    expect(a.writes).toEqual(['id: 1\n\nevent: notification\n\n', 'id: 2\n\n']);
  });

  it('writes nothing for a stream that closed before the flush', () => {
    const writer = new StreamWriter();
    const a = fakeResponse();
    writer.send(a.response, 'id: 1\n\n', jest.fn());
    writer.forget(a.response);
    jest.advanceTimersByTime(FLUSH_MS);
    expect(a.writes).toEqual([]);
  });

  it('closes a stream whose client reads too slowly', () => {
    const writer = new StreamWriter();
    const slow = fakeResponse(MAX_UNSENT_BYTES + 1);
    const close = jest.fn();
    writer.send(slow.response, 'id: 1\n\n', close);
    writer.flush();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
