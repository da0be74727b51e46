package dev.peregrine.persistence.rdb;

import dev.peregrine.persistence.Crc64;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The serialized value of DUMP and RESTORE, as Redis lays it out ({@code createDumpPayload} /
 * {@code verifyDumpPayload}):
 * <pre>
 *  type u8 | value (RDB encoding of that type) | RDB version u16le | CRC-64 u64le
 * </pre>
 * The CRC-64 ({@link Crc64}) covers every byte before it, version included. {@link #create} writes version
 * {@value #WRITE_VERSION} (Redis 7.0's, so a 7.0 server can RESTORE it) with the encodings of {@link RdbEncoder};
 * {@link #verify} accepts versions up to {@value #MAX_VERSION} (Redis 7.2's) with a matching checksum, and
 * {@link #decode} reads the value with the strict {@link RdbReader}.
 *
 * <p>Stateless apart from the encoder passed in; any thread for payloads it owns.
 */
public final class DumpPayload {
    /** The RDB version stamped on payloads written here. */
    public static final int WRITE_VERSION = RdbFileWriter.VERSION;
    /** The newest payload version accepted (Redis 7.2 writes 11). */
    public static final int MAX_VERSION = RdbDescriptor.MAX_VERSION;
    /** Bytes after the value: version (2) and CRC-64 (8). */
    public static final int FOOTER = 10;

    private DumpPayload() {
    }

    /**
     * The payload of a keyspace entry. Executor-only when the entry is in the keyspace.
     *
     * @param encoder a reusable encoder owned by the calling thread
     * @param compression {@code rdbcompression}: LZF strings over 20 bytes when that saves space
     */
    public static byte[] create(Object entry, RdbEncoder encoder, boolean compression) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try {
            RdbStreamOutput out = new RdbStreamOutput(bytes, compression, 1024);
            encoder.writeObject(entry, out);
            out.writeByte(WRITE_VERSION);
            out.writeByte(WRITE_VERSION >>> 8);
            out.writeLongLE(out.checksum());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /** The version in the footer of {@code payload}, or -1 when it is shorter than the footer. */
    public static int version(byte[] payload) {
        if (payload.length < FOOTER) {
            return -1;
        }
        int at = payload.length - FOOTER;
        return (payload[at] & 0xff) | (payload[at + 1] & 0xff) << 8;
    }

    /**
     * Whether {@code payload} has a footer, a version of at most {@value #MAX_VERSION} and a CRC-64 that matches
     * (Redis's check before RESTORE reads anything).
     */
    public static boolean verify(byte[] payload) {
        int v = version(payload);
        if (v < 0 || v > MAX_VERSION) {
            return false;
        }
        int end = payload.length - 8;
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (long) (payload[end + i] & 0xff) << (8 * i);
        }
        return Crc64.update(0, payload, 0, end) == stored;
    }

    /**
     * The function libraries' source code in a FUNCTION DUMP payload {@link #verify} accepted.
     *
     * @throws RdbFormatException a record that is not a function library, or malformed bytes
     */
    public static java.util.List<byte[]> functions(byte[] payload) throws RdbFormatException {
        try {
            return new RdbReader(new ByteArrayInputStream(payload, 0, payload.length - FOOTER)).readFunctionRecords();
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(-1, e.getMessage());
        }
    }

    /**
     * Reads the value of a payload {@link #verify} accepted.
     *
     * @param key the key it is restored under (for messages)
     * @return the value, or null when it holds no element
     * @throws RdbFormatException the bytes before the footer are not a valid value
     */
    public static RdbValue decode(byte[] payload, byte[] key) throws RdbFormatException {
        try {
            return new RdbReader(new ByteArrayInputStream(payload, 0, payload.length - FOOTER)).readObject(key);
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new RdbFormatException(-1, e.getMessage());
        }
    }
}
