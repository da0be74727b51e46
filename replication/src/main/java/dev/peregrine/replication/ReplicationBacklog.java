package dev.peregrine.replication;

/**
 * The replication backlog: the last {@code repl-backlog-size} bytes of the replication stream, indexed by
 * replication offset, so a replica that reconnects with {@code PSYNC <replid> <offset>} can be served a partial
 * resync from {@code offset} instead of a full one.
 *
 * <pre>
 *   buffer (capacity C bytes, circular)
 *   +--------------------------------------+
 *   | ...older | newest bytes ^ oldest ... |
 *   +--------------------------------------+
 *                            ^ write index = endOffset mod C
 *   holds stream offsets [startOffset, endOffset), endOffset - startOffset = min(C, bytes ever appended)
 * </pre>
 * Offsets are those of PSYNC: the offset of a byte is the number of stream bytes before it, plus 1 for the
 * first byte after the primary's initial offset, as {@code master_repl_offset} counts.
 *
 * <p>Executor-only.
 */
public final class ReplicationBacklog {
    private byte[] buffer;
    /** Offset just past the newest byte ({@code master_repl_offset}). */
    private long endOffset;
    /** Bytes currently held. */
    private int length;

    /**
     * @param capacity   {@code repl-backlog-size}, bytes
     * @param baseOffset the stream offset before the first byte appended
     */
    public ReplicationBacklog(int capacity, long baseOffset) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.buffer = new byte[capacity];
        this.endOffset = baseOffset;
    }

    /** Appends stream bytes. */
    public void append(byte[] b, int off, int len) {
        int cap = buffer.length;
        if (len >= cap) {
            System.arraycopy(b, off + len - cap, buffer, 0, cap);
            endOffset += len;
            length = cap;
            // the newest byte must end just before the write index, which is endOffset mod cap
            rotateTo((int) Math.floorMod(endOffset, (long) cap));
            return;
        }
        int w = (int) Math.floorMod(endOffset, (long) cap);
        int first = Math.min(len, cap - w);
        System.arraycopy(b, off, buffer, w, first);
        System.arraycopy(b, off + first, buffer, 0, len - first);
        endOffset += len;
        length = Math.min(cap, length + len);
    }

    private void rotateTo(int writeIndex) {
        // buffer holds the newest cap bytes in order starting at 0; place them so they end at writeIndex
        byte[] rotated = new byte[buffer.length];
        int cap = buffer.length;
        for (int i = 0; i < cap; i++) {
            rotated[(writeIndex + i) % cap] = buffer[i];
        }
        buffer = rotated;
    }

    /** Offset just past the newest byte. */
    public long endOffset() {
        return endOffset;
    }

    /** Offset of the oldest byte held ({@code repl_backlog_first_byte_offset} is this plus 1). */
    public long startOffset() {
        return endOffset - length;
    }

    /** Bytes held ({@code repl_backlog_histlen}). */
    public int length() {
        return length;
    }

    public int capacity() {
        return buffer.length;
    }

    /** Whether a replica at stream offset {@code offset} can be continued from the backlog. */
    public boolean covers(long offset) {
        return offset >= startOffset() && offset <= endOffset;
    }

    /**
     * The stream bytes from {@code offset} to the end.
     *
     * @throws IllegalArgumentException when the backlog does not cover {@code offset}
     */
    public byte[] copyFrom(long offset) {
        if (!covers(offset)) {
            throw new IllegalArgumentException("offset " + offset + " outside backlog [" + startOffset() + ", "
                                               + endOffset + "]");
        }
        int n = (int) (endOffset - offset);
        byte[] out = new byte[n];
        int cap = buffer.length;
        int r = (int) Math.floorMod(offset, (long) cap);
        int first = Math.min(n, cap - r);
        System.arraycopy(buffer, r, out, 0, first);
        System.arraycopy(buffer, 0, out, first, n - first);
        return out;
    }
}
