/** Reads a server-sent event stream (text/event-stream) into parsed events as they arrive. */

export interface StreamEvent {
  readonly event: string;
  readonly data: unknown;
}

export interface EventStreamReader {
  readonly events: StreamEvent[];
  /** Resolves when the stream ends (closed by either side). */
  readonly ended: Promise<void>;
}

export function readEventStream(response: Response): EventStreamReader {
  const events: StreamEvent[] = [];
  const body = response.body;
  if (!body) throw new Error('the response has no body to stream');
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const lines = block.split('\n').filter((line) => !line.startsWith(':'));
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
          const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) events.push({ event, data: JSON.parse(data) as unknown });
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  return { events, ended };
}
