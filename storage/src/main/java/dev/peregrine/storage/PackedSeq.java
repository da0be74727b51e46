package dev.peregrine.storage;

import java.util.Arrays;

/**
 * A listpack-style compact sequence of byte strings in one {@code byte[]}: the {@code listpack} encoding of small
 * hashes (field, value, field, value, ...) and small sets (member, member, ...).
 *
 * <h2>Layout</h2>
 * <pre>
 *   buf: [len varint][bytes...][len varint][bytes...] ... (unused capacity)
 *        ^ element 0           ^ element 1               ^ used
 *   len: unsigned LEB128, 7 bits per byte, low group first, high bit set on all but the last byte
 * </pre>
 * Elements are addressed by their byte offset (of the length prefix); {@link #next(int)} steps to the following
 * one, {@link #end()} is the offset after the last.
 *
 * <h2>Invariants</h2>
 * {@code count} is the number of elements and {@code used} the bytes they take; bytes past {@code used} are
 * garbage. Offsets stay valid until the next change.
 *
 * <h2>Complexity</h2>
 * Search O(n) in bytes; append amortised O(len); delete and replace O(n) (one array shift). Meant for up to a
 * few hundred short elements, as Redis's listpack.
 *
 * <p>Executor-only.
 */
public final class PackedSeq {
    private byte[] buf;
    private int used;
    private int count;

    public PackedSeq() {
        buf = new byte[32];
    }

    private PackedSeq(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    /** A deep copy. */
    public PackedSeq copy() {
        return new PackedSeq(Arrays.copyOf(buf, Math.max(used, 8)), used, count);
    }

    /** Number of elements. */
    public int count() {
        return count;
    }

    /** Bytes used by the elements. */
    public int bytes() {
        return used;
    }

    /** Bytes allocated. */
    public int capacityBytes() {
        return buf.length;
    }

    /** The offset after the last element (where iteration stops). */
    public int end() {
        return used;
    }

    /** The offset of the element after the one at {@code off}. */
    public int next(int off) {
        int len = 0;
        int shift = 0;
        int b;
        do {
            b = buf[off++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return off + len;
    }

    /** The length in bytes of the element at {@code off}. */
    public int length(int off) {
        int len = 0;
        int shift = 0;
        int b;
        do {
            b = buf[off++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return len;
    }

    /** Where the bytes of the element at {@code off} start in {@link #array()}. */
    public int dataStart(int off) {
        while ((buf[off] & 0x80) != 0) {
            off++;
        }
        return off + 1;
    }

    /** The backing array: read-only, valid until the next change. */
    public byte[] array() {
        return buf;
    }

    /** A copy of the element at {@code off}. */
    public byte[] get(int off) {
        int start = dataStart(off);
        return Arrays.copyOfRange(buf, start, start + length(off));
    }

    /** Whether the element at {@code off} equals {@code b}. */
    public boolean equalsAt(int off, byte[] b) {
        int len = length(off);
        if (len != b.length) {
            return false;
        }
        int start = dataStart(off);
        return Arrays.equals(buf, start, start + len, b, 0, len);
    }

    /**
     * The offset of the first element equal to {@code b} among elements 0, step, 2*step, ..., or -1.
     *
     * @param step 1 for a set; 2 to compare only the fields of a field/value sequence
     */
    public int find(byte[] b, int step) {
        int off = 0;
        int i = 0;
        while (off < used) {
            if (i % step == 0 && equalsAt(off, b)) {
                return off;
            }
            off = next(off);
            i++;
        }
        return -1;
    }

    /** The offset of element {@code index} (0-based, less than {@link #count()}); O(n). */
    public int offsetOf(int index) {
        int off = 0;
        for (int i = 0; i < index; i++) {
            off = next(off);
        }
        return off;
    }

    /** Appends {@code b} as the last element. */
    public void append(byte[] b) {
        int need = varintSize(b.length) + b.length;
        ensure(used + need);
        used = writeVarint(buf, used, b.length);
        System.arraycopy(b, 0, buf, used, b.length);
        used += b.length;
        count++;
    }

    /** Inserts {@code b} as a new element at offset {@code off} (an element's offset or {@link #end()}). */
    public void insert(int off, byte[] b) {
        int need = varintSize(b.length) + b.length;
        ensure(used + need);
        System.arraycopy(buf, off, buf, off + need, used - off);
        int p = writeVarint(buf, off, b.length);
        System.arraycopy(b, 0, buf, p, b.length);
        used += need;
        count++;
    }

    /** Removes {@code n} consecutive elements starting with the one at {@code off}. */
    public void remove(int off, int n) {
        int end = off;
        for (int i = 0; i < n; i++) {
            end = next(end);
        }
        System.arraycopy(buf, end, buf, off, used - end);
        used -= end - off;
        count -= n;
        if (buf.length > 64 && used < buf.length / 4) {
            buf = Arrays.copyOf(buf, Math.max(32, used * 2));
        }
    }

    /** Replaces the element at {@code off} with {@code b}. */
    public void replace(int off, byte[] b) {
        int oldEnd = next(off);
        int newSize = varintSize(b.length) + b.length;
        int delta = newSize - (oldEnd - off);
        if (delta != 0) {
            ensure(used + delta);
            System.arraycopy(buf, oldEnd, buf, oldEnd + delta, used - oldEnd);
            used += delta;
        }
        int p = writeVarint(buf, off, b.length);
        System.arraycopy(b, 0, buf, p, b.length);
    }

    private void ensure(int size) {
        if (size > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size, buf.length + (buf.length >> 1)));
        }
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static int writeVarint(byte[] b, int off, int v) {
        while ((v & ~0x7f) != 0) {
            b[off++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }
}
