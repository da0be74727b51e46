package dev.peregrine.persistence.rdb;

import java.io.IOException;
import java.util.Arrays;

/**
 * An {@link RdbOutput} that records what is written in memory, strings still raw, to be replayed later onto
 * another output ({@link #replayTo}): the encoder can run where the data lives (the executor) and cost only a
 * copy, while the string encoding (integer forms, LZF compression), the CRC and the file I/O happen on another
 * thread when the record is replayed onto an {@link RdbStreamOutput}.
 *
 * <h2>Layout</h2>
 * <pre>
 *  data:  [raw bytes][string content][raw bytes]...      everything written, in order, strings unencoded
 *  spans: one long per run: bit 32 set = one string, low 32 bits = its length in data
 *                           bit 32 clear = raw bytes (consecutive raw writes share one span)
 * </pre>
 * Replaying writes each raw span with {@link RdbOutput#writeBytes} and each string with
 * {@link RdbOutput#writeString}, so the target produces exactly what the encoder would have produced on it
 * directly.
 *
 * <p>Not thread-safe; hand it from the writing thread to the replaying one through a safe publication (e.g. a
 * queue). Reusable after {@link #reset}.
 */
public final class RdbDeferredOutput extends RdbOutput {
    private static final long STRING = 1L << 32;
    private byte[] data;
    private int size;
    private long[] spans = new long[16];
    private int spanCount;

    public RdbDeferredOutput() {
        this(4096);
    }

    /** @param initialCapacity initial bytes of the data array */
    public RdbDeferredOutput(int initialCapacity) {
        data = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void writeByte(int b) {
        ensure(1);
        data[size++] = (byte) b;
        rawSpan(1);
    }

    @Override
    public void writeBytes(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        ensure(len);
        System.arraycopy(b, off, data, size, len);
        size += len;
        rawSpan(len);
    }

    @Override
    public void writeString(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, data, size, len);
        size += len;
        addSpan(STRING | len);
    }

    private void rawSpan(int len) {
        if (spanCount > 0 && (spans[spanCount - 1] & STRING) == 0) {
            spans[spanCount - 1] += len;
        } else {
            addSpan(len);
        }
    }

    private void addSpan(long span) {
        if (spanCount == spans.length) {
            spans = Arrays.copyOf(spans, spanCount * 2);
        }
        spans[spanCount++] = span;
    }

    private void ensure(int more) {
        if ((long) size + more > data.length) {
            long n = Math.max((long) size + more, (long) data.length * 2);
            if (n > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("deferred RDB output over 2 GB");
            }
            data = Arrays.copyOf(data, (int) n);
        }
    }

    /** Bytes recorded (string contents counted raw). */
    public int size() {
        return size;
    }

    /** Writes everything recorded, in order, to {@code out}. */
    public void replayTo(RdbOutput out) throws IOException {
        int p = 0;
        for (int i = 0; i < spanCount; i++) {
            long span = spans[i];
            int len = (int) span;
            if ((span & STRING) != 0) {
                out.writeString(data, p, len);
            } else {
                out.writeBytes(data, p, len);
            }
            p += len;
        }
    }

    /** Forgets everything recorded, keeping the arrays. */
    public void reset() {
        size = 0;
        spanCount = 0;
    }
}
