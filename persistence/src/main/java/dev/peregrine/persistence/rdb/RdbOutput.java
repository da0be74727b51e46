package dev.peregrine.persistence.rdb;

import java.io.IOException;

/**
 * Where RDB bytes go: the abstract output {@link RdbEncoder} and {@link RdbFileWriter} write through.
 *
 * <p>Every RDB <em>string</em> (keys, string values, AUX names and values, listpack / intset blobs, quicklist
 * nodes, set members, hash fields and values, zset members) goes through {@link #writeString(byte[], int, int)}
 * and nothing else does; every other byte (type bytes, opcodes, lengths, binary scores, expiry times) goes through
 * {@link #writeByte} and {@link #writeBytes}. So an implementation decides alone how strings are encoded: as
 * written to disk by {@link RdbStreamOutput} (integer forms, LZF, raw; see {@code docs/spec/rdb.md} section 2),
 * or kept raw in memory by {@link RdbDeferredOutput} so that the choice (and the compression work) happens later
 * on another thread.
 *
 * <p>The helpers ({@link #writeLength}, {@link #writeLongLE}, {@link #writeBinaryDouble}) are built on
 * {@link #writeByte} and {@link #writeBytes}. Not thread-safe: one writer thread per instance.
 */
public abstract class RdbOutput {
    private final byte[] scratch = new byte[9];

    /** Writes one byte (the low 8 bits of {@code b}) as is. */
    public abstract void writeByte(int b) throws IOException;

    /** Writes {@code b[off, off+len)} as is. */
    public abstract void writeBytes(byte[] b, int off, int len) throws IOException;

    /**
     * Writes one RDB string whose content is {@code b[off, off+len)}: a length and the bytes, or one of the
     * special encodings (integer, LZF). The implementation chooses; the reader gets the same content back. The
     * bytes are only read during the call.
     */
    public abstract void writeString(byte[] b, int off, int len) throws IOException;

    /** {@link #writeString(byte[], int, int)} of a whole array. */
    public final void writeString(byte[] b) throws IOException {
        writeString(b, 0, b.length);
    }

    /**
     * Writes an RDB length: 6-bit (one byte) below 64, 14-bit big-endian (two bytes) below 16384, then a marker
     * byte and a 32-bit or 64-bit big-endian number. {@code len} is unsigned.
     */
    public void writeLength(long len) throws IOException {
        if (len >= 0 && len < (1 << 6)) {
            writeByte((int) len);
        } else if (len >= 0 && len < (1 << 14)) {
            scratch[0] = (byte) (0x40 | (len >>> 8));
            scratch[1] = (byte) len;
            writeBytes(scratch, 0, 2);
        } else if (len >= 0 && len <= 0xffffffffL) {
            scratch[0] = (byte) RdbDescriptor.LEN_32BIT;
            putBE(scratch, 1, len, 4);
            writeBytes(scratch, 0, 5);
        } else {
            scratch[0] = (byte) RdbDescriptor.LEN_64BIT;
            putBE(scratch, 1, len, 8);
            writeBytes(scratch, 0, 9);
        }
    }

    /** Writes 8 bytes, little-endian (expiry times in ms, the CRC-64). */
    public void writeLongLE(long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        writeBytes(scratch, 0, 8);
    }

    /** Writes a score in the binary form of ZSET_2: the IEEE-754 bits, little-endian. */
    public void writeBinaryDouble(double d) throws IOException {
        writeLongLE(Double.doubleToRawLongBits(d));
    }

    private static void putBE(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
    }
}
