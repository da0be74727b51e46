package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Numbers;

import java.util.Arrays;

/**
 * Builds a Redis listpack blob (docs/spec/rdb.md section 5) element by element, as Redis's {@code lpAppend} would
 * encode each: a canonical decimal integer (Redis's {@code string2ll}) as the narrowest integer entry, anything
 * else as a string entry; each entry followed by its back-length. The blob is {@code total u32le | count u16le |
 * entries | 0xFF}, count 65535 when there are more.
 *
 * <p>Reusable ({@link #reset}); the blob ({@link #array()}, {@link #length()}) is valid until the next change.
 * Not thread-safe.
 */
final class ListpackBuilder {
    private static final int HEADER = 6;
    private byte[] buf = new byte[256];
    private int pos;
    private int count;

    ListpackBuilder() {
        reset();
    }

    /** Starts a new, empty listpack. */
    void reset() {
        pos = HEADER;
        count = 0;
    }

    /** Appends {@code b[off, off+len)}. */
    void add(byte[] b, int off, int len) {
        long v = Numbers.parseLong(b, off, len);
        if (v != Numbers.NOT_A_LONG || Numbers.isLong(b, off, len)) {
            add(v);
            return;
        }
        ensure(len + 10);
        int start = pos;
        if (len <= 63) {
            buf[pos++] = (byte) (0x80 | len);
        } else if (len <= 4095) {
            buf[pos++] = (byte) (0xE0 | (len >>> 8));
            buf[pos++] = (byte) len;
        } else {
            buf[pos++] = (byte) 0xF0;
            putLE(len, 4);
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        backlen(pos - start);
        count++;
    }

    /** Appends {@code b}. */
    void add(byte[] b) {
        add(b, 0, b.length);
    }

    /** Appends an integer element. */
    void add(long v) {
        ensure(16);
        int start = pos;
        if (v >= 0 && v <= 127) {
            buf[pos++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            int raw = (int) (v < 0 ? v + 8192 : v);
            buf[pos++] = (byte) (0xC0 | (raw >>> 8));
            buf[pos++] = (byte) raw;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            buf[pos++] = (byte) 0xF1;
            putLE(v, 2);
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            buf[pos++] = (byte) 0xF2;
            putLE(v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            buf[pos++] = (byte) 0xF3;
            putLE(v, 4);
        } else {
            buf[pos++] = (byte) 0xF4;
            putLE(v, 8);
        }
        backlen(pos - start);
        count++;
    }

    /** Appends the back-length of an entry of {@code e} bytes: 7-bit groups, lowest group last, all but the
     * first byte flagged 0x80. */
    private void backlen(int e) {
        int n = e <= 127 ? 1 : e < 16383 ? 2 : e < 2097151 ? 3 : e < 268435455 ? 4 : 5;
        for (int k = 0; k < n; k++) {
            int g = (e >>> (7 * k)) & 127;
            if (k < n - 1) {
                g |= 128;
            }
            buf[pos + n - 1 - k] = (byte) g;
        }
        pos += n;
    }

    private void putLE(long v, int n) {
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    private void ensure(int more) {
        if (pos + more + 1 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more + 1, buf.length * 2));
        }
    }

    /** Elements appended since the last reset. */
    int count() {
        return count;
    }

    /** Closes the blob (header and end marker); returns its length. Further adds need a {@link #reset}. */
    int finish() {
        ensure(1);
        buf[pos++] = (byte) 0xFF;
        int total = pos;
        buf[0] = (byte) total;
        buf[1] = (byte) (total >>> 8);
        buf[2] = (byte) (total >>> 16);
        buf[3] = (byte) (total >>> 24);
        int c = Math.min(count, 65535);
        buf[4] = (byte) c;
        buf[5] = (byte) (c >>> 8);
        return total;
    }

    /** The backing array; the blob is {@code [0, finish())}. */
    byte[] array() {
        return buf;
    }
}
