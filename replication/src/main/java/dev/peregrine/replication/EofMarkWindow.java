package dev.peregrine.replication;

import java.util.Arrays;

/**
 * Finds the end of a diskless RDB transfer ({@code $EOF:<mark>}): the payload is followed by the same 40-byte mark,
 * and nothing tells its length. Every chunk received is passed through here; the last 40 bytes are held back until
 * more arrive, so what is released is payload only. As Redis's replica, the end is recognised when the bytes
 * received so far end with the mark. Single-threaded.
 */
public final class EofMarkWindow {
    private final byte[] mark;
    private final byte[] held;
    private int heldLength;

    /** @param mark the 40-byte mark of the {@code $EOF:} header */
    public EofMarkWindow(byte[] mark) {
        this.mark = mark.clone();
        this.held = new byte[mark.length];
    }

    /** Receives payload bytes released by {@link #offer}. */
    public interface Output {
        void write(byte[] b, int off, int len);
    }

    /**
     * Takes the next received bytes; writes to {@code out} those that are surely payload.
     *
     * @return whether the bytes received so far end with the mark (the transfer is complete; the held bytes were
     *         the mark and are dropped)
     */
    public boolean offer(byte[] b, int off, int len, Output out) {
        int total = heldLength + len;
        int keep = Math.min(mark.length, total);
        int release = total - keep;
        // release the oldest bytes: first from what was held, then from the new chunk
        int fromHeld = Math.min(release, heldLength);
        if (fromHeld > 0) {
            out.write(held, 0, fromHeld);
        }
        int fromNew = release - fromHeld;
        if (fromNew > 0) {
            out.write(b, off, fromNew);
        }
        byte[] next = new byte[keep];
        int remainingHeld = heldLength - fromHeld;
        System.arraycopy(held, fromHeld, next, 0, remainingHeld);
        System.arraycopy(b, off + fromNew, next, remainingHeld, keep - remainingHeld);
        System.arraycopy(next, 0, held, 0, keep);
        heldLength = keep;
        return heldLength == mark.length && Arrays.equals(held, mark);
    }
}
