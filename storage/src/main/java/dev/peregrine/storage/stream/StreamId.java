package dev.peregrine.storage.stream;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID: two unsigned 64-bit numbers, milliseconds and sequence, ordered as unsigned pairs. Immutable;
 * any thread.
 */
public final class StreamId implements Comparable<StreamId> {
    /** 0-0, the smallest ID. */
    public static final StreamId MIN = new StreamId(0, 0);
    /** 18446744073709551615-18446744073709551615, the largest ID. */
    public static final StreamId MAX = new StreamId(-1L, -1L);

    /** Milliseconds part, unsigned. */
    public final long ms;
    /** Sequence part, unsigned. */
    public final long seq;

    public StreamId(long ms, long seq) {
        this.ms = ms;
        this.seq = seq;
    }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    /** Whether this is 0-0. */
    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID, or null when this is {@link #MAX}. */
    public StreamId next() {
        if (seq == -1L) {
            return ms == -1L ? null : new StreamId(ms + 1, 0);
        }
        return new StreamId(ms, seq + 1);
    }

    /** The previous ID, or null when this is 0-0. */
    public StreamId previous() {
        if (seq == 0) {
            return ms == 0 ? null : new StreamId(ms - 1, -1L);
        }
        return new StreamId(ms, seq - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamId s && s.ms == ms && s.seq == seq;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ms) * 31 + Long.hashCode(seq);
    }

    /** The {@code ms-seq} form with both parts unsigned decimal. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** {@link #toString()} as ASCII bytes. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The 16-byte big-endian form Redis uses as the radix-tree key of a node (ms then seq). */
    public byte[] toKeyBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** The ID encoded by {@link #toKeyBytes()}. */
    public static StreamId fromKeyBytes(byte[] b) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[i] & 0xff);
            seq = (seq << 8) | (b[8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }
}
