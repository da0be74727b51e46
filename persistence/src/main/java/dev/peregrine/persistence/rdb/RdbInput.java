package dev.peregrine.persistence.rdb;

import dev.peregrine.persistence.Crc64;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered, bounds-checked byte source over an {@link InputStream} that counts the offset of every byte read
 * and keeps the running CRC-64 of all bytes consumed. Reading past the end of the stream raises an
 * {@link RdbFormatException} naming the offset and what was being read. Multi-byte integers are little-endian
 * unless the method says otherwise.
 *
 * <p>Single-threaded: owned by the reader that created it.
 */
final class RdbInput {
    private static final int BUFFER = 64 * 1024;
    /** Largest string allocated at once before its bytes arrive; longer ones grow as they are read. */
    private static final int EAGER_ALLOCATION = 1 << 20;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** File offset of {@code buf[0]}. */
    private long base;
    /** CRC of every byte before {@code buf[crcFrom]}. */
    private long crc;
    private int crcFrom;

    RdbInput(InputStream in) {
        this.in = in;
    }

    /** Offset of the next byte to read, from the start of the file. */
    long offset() {
        return base + pos;
    }

    /** The CRC-64 of every byte consumed so far. */
    long crc() {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        return crc;
    }

    private boolean fill() throws IOException {
        crc();
        base += limit;
        pos = 0;
        limit = 0;
        crcFrom = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private RdbFormatException truncated(String what) {
        return new RdbFormatException(offset(), "unexpected end of file reading " + what);
    }

    /** One unsigned byte. */
    int u8(String what) throws IOException {
        if (pos == limit && !fill()) {
            throw truncated(what);
        }
        return buf[pos++] & 0xff;
    }

    /** Whether the stream has no more bytes. */
    boolean atEnd() throws IOException {
        return pos == limit && !fill();
    }

    /** {@code n} bytes (unsigned, little-endian) as a long; {@code n} at most 8. */
    long le(int n, String what) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8(what) << (8 * i);
        }
        return v;
    }

    /** {@code n} bytes (unsigned, big-endian) as a long; {@code n} at most 8. */
    long be(int n, String what) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | u8(what);
        }
        return v;
    }

    /** Exactly {@code n} bytes into a new array. */
    byte[] bytes(long n, String what) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException(offset(), "length " + Long.toUnsignedString(n) + " of " + what
                                                   + " is too large");
        }
        int len = (int) n;
        byte[] out = new byte[Math.min(len, EAGER_ALLOCATION)];
        int done = 0;
        while (done < len) {
            if (pos == limit && !fill()) {
                throw truncated(what + " (" + done + " of " + len + " bytes present)");
            }
            if (done == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, 2L * out.length));
            }
            int k = Math.min(limit - pos, out.length - done);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    /** Skips exactly {@code n} bytes. */
    void skip(long n, String what) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill()) {
                throw truncated(what);
            }
            int k = (int) Math.min(limit - pos, n);
            pos += k;
            n -= k;
        }
    }
}
