/**
 * Cuts a connection that announces an MQTT packet larger than a limit, before the packet arrives.
 * aedes has no such limit (moscajs/aedes#831): its parser buffers whatever a packet's header
 * announces, up to 256 MB, and even an unauthenticated client's CONNECT can do that.
 *
 * Only the fixed header of each packet is read (MQTT 3.1.1 §2.2: one type byte, then the remaining
 * length in 1–4 bytes of 7 bits each); the bytes pass through untouched.
 */
import { Duplex, Transform, type TransformCallback } from 'node:stream';

export class PacketTooLargeError extends Error {
  constructor(
    readonly announcedBytes: number,
    readonly limitBytes: number,
  ) {
    super(`MQTT packet of ${announcedBytes} bytes announced; the limit is ${limitBytes}`);
    this.name = 'PacketTooLargeError';
  }
}

/** Reads packet boundaries from a byte stream, chunk by chunk. */
export class PacketSizeMeter {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private bodyLeft = 0;

  constructor(private readonly limitBytes: number) {}

  /** Throws PacketTooLargeError as soon as a header announces too large a packet. */
  measure(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === 'body') {
        const taken = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= taken;
        offset += taken;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[offset++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      if (byte & 0x80) {
        // A fifth length byte is malformed (§2.2.3): refused like an oversized packet.
        if (this.multiplier > 128 ** 3) throw new PacketTooLargeError(this.length, this.limitBytes);
        continue;
      }
      if (this.length > this.limitBytes) throw new PacketTooLargeError(this.length, this.limitBytes);
      this.bodyLeft = this.length;
      this.state = this.bodyLeft === 0 ? 'type' : 'body';
    }
  }
}

/** `connection` with its incoming bytes metered; the guard destroys it on an oversized packet. */
export function guardPacketSize(connection: Duplex, limitBytes: number, onRefused: (error: PacketTooLargeError) => void): Duplex {
  const meter = new PacketSizeMeter(limitBytes);
  const metered = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        meter.measure(chunk);
        callback(null, chunk);
      } catch (error) {
        onRefused(error as PacketTooLargeError);
        connection.destroy();
        callback();
      }
    },
  });
  const guarded = Duplex.from({ readable: connection.pipe(metered), writable: connection });
  connection.once('close', () => guarded.destroy());
  return guarded;
}
