import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { PacketSizeMeter, PacketTooLargeError } from '../../../server/mqtt/packet-size-guard.js';

const publish = (bytes: number) =>
  mqttPacket.generate({ cmd: 'publish', topic: 'loa/device/d1/event', payload: Buffer.alloc(bytes, 0x61), qos: 0, retain: false, dup: false });

describe('PacketSizeMeter', () => {
  it('lets a stream of packets through whatever the chunking, and stops at the first too large', () => {
    const stream = Buffer.concat([publish(10), publish(200), publish(20_000), publish(5)]);
    for (const chunkSize of [1, 2, 3, 7, 64, stream.length]) {
      const meter = new PacketSizeMeter(64 * 1024);
      for (let offset = 0; offset < stream.length; offset += chunkSize) meter.measure(stream.subarray(offset, offset + chunkSize));
    }
    const meter = new PacketSizeMeter(1_000);
    meter.measure(publish(900));
    expect(() => meter.measure(publish(5_000))).toThrow(PacketTooLargeError);
  });

  it('refuses on the announced length alone, before the body arrives', () => {
    const meter = new PacketSizeMeter(256 * 1024);
    // CONNECT announcing 200 MB: 0x10, then 200,000,000 as a variable-length integer, and nothing else.
    let length = 200_000_000;
    const header = [0x10];
    do {
      let byte = length % 128;
      length = Math.floor(length / 128);
      if (length > 0) byte |= 0x80;
      header.push(byte);
    } while (length > 0);
    expect(() => meter.measure(Buffer.from(header))).toThrow(/200000000 bytes announced/);
  });

  it('refuses a remaining length of more than four bytes (malformed)', () => {
    const meter = new PacketSizeMeter(Number.MAX_SAFE_INTEGER);
    expect(() => meter.measure(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(PacketTooLargeError);
  });
});
