/**
 * What the simulator measures of one receiver, taken where the real agent hands things to the
 * outside world, so nothing of the agent is re-implemented:
 * - every playback event it publishes (the transport is wrapped), with the event's own `at` on the
 *   receiver's estimate of the server clock;
 * - the true time (this host's clock, which the server shares) at which each of its timers fired,
 *   i.e. when the receiver decided a play was due on its own clock.
 *
 * The second is what start skew is made of on real hardware: each receiver's clock error plus its
 * timer's lateness. The event's `at` for `started` also carries the simulator's own cost of starting
 * thousands of receivers in one event-loop turn one after the other (see docs/performance.md).
 */
import { playbackEventSchema, decodePayload, type PlaybackEvent } from '../../protocol/index.js';
import type { AgentTransport, TransportFactory } from '../../device-agent/connection.js';
import type { Timers } from '../../device-agent/precise-timer.js';

/** Times of one receiver for one broadcast, ms since the epoch; absent when it did not happen. */
export interface PlayRecord {
  received?: number;
  downloaded?: number;
  /** Whether the audio came from the receiver's cache. */
  fromCache?: boolean;
  started?: number;
  signalStarted?: number;
  messageStarted?: number;
  finished?: number;
  outcome?: 'completed' | 'interrupted';
  failed?: string;
}

/** Timer targets remembered per receiver: enough for the plays of a benchmark run. */
const FIRED_KEPT = 256;

export class ReceiverObserver {
  private readonly plays = new Map<string, PlayRecord>();
  private readonly fired = new Map<number, number>();
  eventsPublished = 0;

  /** Wraps the agent's transport so its published events are seen on their way out. */
  observeTransport(factory: TransportFactory): TransportFactory {
    return (params) => {
      const inner = factory(params);
      const observer = this;
      const observed: AgentTransport = {
        get connected() {
          return inner.connected;
        },
        start: (handlers) => inner.start(handlers),
        setSubscriptions: (filters) => inner.setSubscriptions(filters),
        stop: (last) => inner.stop(last),
        publish: async (topic, payload, flags) => {
          await inner.publish(topic, payload, flags);
          if (topic.endsWith('/event')) observer.noteEvent(payload);
        },
      };
      return observed;
    };
  }

  /** Wraps the agent's timers to note when each target really fired. */
  observeTimers(inner: Timers): Timers {
    return {
      at: (at, fn) =>
        inner.at(at, () => {
          this.noteFired(at, Date.now());
          fn();
        }),
      clear: () => inner.clear(),
    };
  }

  record(broadcastId: string): PlayRecord | undefined {
    return this.plays.get(broadcastId);
  }

  /** When the timer set for `target` fired, on this host's clock. */
  firedAt(target: number): number | undefined {
    return this.fired.get(target);
  }

  private noteFired(target: number, now: number): void {
    if (this.fired.size >= FIRED_KEPT) this.fired.delete(this.fired.keys().next().value!);
    this.fired.set(target, now);
  }

  private noteEvent(payload: Buffer): void {
    const decoded = decodePayload(playbackEventSchema, payload);
    if (!decoded.ok) return;
    this.eventsPublished++;
    const event: PlaybackEvent = decoded.value;
    const play = this.plays.get(event.broadcastId) ?? {};
    this.plays.set(event.broadcastId, play);
    switch (event.type) {
      case 'received':
        play.received ??= event.at;
        break;
      case 'downloaded':
        play.downloaded ??= event.at;
        play.fromCache ??= event.fromCache;
        break;
      case 'started':
        play.started ??= event.at;
        break;
      case 'part':
        if (event.part === 'signal') play.signalStarted ??= event.at;
        else if (event.index === 0) play.messageStarted ??= event.at;
        break;
      case 'finished':
        play.finished = event.at;
        play.outcome = event.outcome;
        break;
      case 'failed':
        play.failed = event.reason;
        break;
      case 'preempted':
        break;
    }
  }
}
