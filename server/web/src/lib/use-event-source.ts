/**
 * A server-sent event stream for as long as the component is shown. EventSource reconnects by
 * itself after a drop; `connected` lets the page say when it is not live.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export function useEventSource<T>(url: string | null, event: string, onData: (data: T) => void): { connected: boolean } {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onData);
  handler.current = onData;
  useEffect(() => {
    if (!url) return;
    const source = new EventSource(url, { withCredentials: true });
    source.addEventListener(event, (message) => {
      setConnected(true);
      handler.current(JSON.parse((message as MessageEvent<string>).data) as T);
    });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [url, event]);
  return { connected };
}
