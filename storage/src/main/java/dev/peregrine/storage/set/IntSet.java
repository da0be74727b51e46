package dev.peregrine.storage.set;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The {@code intset} encoding of a set whose members are all 64-bit integers: a sorted array of distinct
 * integers packed at the narrowest width (2, 4 or 8 bytes) that holds them all, as Redis's intset.
 *
 * <h2>Layout</h2>
 * <pre>
 *   data: [v0][v1]...[v(n-1)] (spare)    each value little-endian, {@code width} bytes, v0 &lt; v1 &lt; ...
 * </pre>
 *
 * <h2>Invariants</h2>
 * Values are strictly increasing; {@code width} is 2, 4 or 8 and every value fits it. Adding a value that does
 * not fit upgrades the whole array to the wider width (never downgraded).
 *
 * <h2>Complexity</h2>
 * Lookup O(log n) (binary search); add and remove O(n) (one shift); upgrade O(n).
 *
 * <p>Executor-only.
 */
public final class IntSet {
    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] data;
    private int width;
    private int size;

    public IntSet() {
        data = new byte[16];
        width = 2;
    }

    private IntSet(byte[] data, int width, int size) {
        this.data = data;
        this.width = width;
        this.size = size;
    }

    /** A deep copy. */
    public IntSet copy() {
        return new IntSet(Arrays.copyOf(data, Math.max(size * width, 8)), width, size);
    }

    public int size() {
        return size;
    }

    /** Bytes per value: 2, 4 or 8. */
    public int width() {
        return width;
    }

    /** Bytes allocated. */
    public int capacityBytes() {
        return data.length;
    }

    /** The value at sorted position {@code i}. */
    public long get(int i) {
        return read(data, width, i);
    }

    public long min() {
        return get(0);
    }

    public long max() {
        return get(size - 1);
    }

    public boolean contains(long v) {
        return widthFor(v) <= width && search(v) >= 0;
    }

    /** Adds {@code v}; returns whether it was new. */
    public boolean add(long v) {
        int w = widthFor(v);
        if (w > width) {
            upgradeAndAdd(v, w);
            return true;
        }
        int pos = search(v);
        if (pos >= 0) {
            return false;
        }
        pos = -pos - 1;
        ensure((size + 1) * width);
        System.arraycopy(data, pos * width, data, (pos + 1) * width, (size - pos) * width);
        write(data, width, pos, v);
        size++;
        return true;
    }

    /** Removes {@code v}; returns whether it was present. */
    public boolean remove(long v) {
        if (widthFor(v) > width) {
            return false;
        }
        int pos = search(v);
        if (pos < 0) {
            return false;
        }
        System.arraycopy(data, (pos + 1) * width, data, pos * width, (size - pos - 1) * width);
        size--;
        return true;
    }

    /** Removes the value at sorted position {@code i}. */
    public void removeAt(int i) {
        System.arraycopy(data, (i + 1) * width, data, i * width, (size - i - 1) * width);
        size--;
    }

    private void upgradeAndAdd(long v, int newWidth) {
        byte[] d = new byte[Math.max(16, (size + 1) * newWidth + (size >> 1) * newWidth)];
        // a value needing a wider width is beyond every current value: below all if negative, else above all
        int offset = v < 0 ? 1 : 0;
        for (int i = 0; i < size; i++) {
            write(d, newWidth, i + offset, read(data, width, i));
        }
        write(d, newWidth, v < 0 ? 0 : size, v);
        data = d;
        width = newWidth;
        size++;
    }

    /** Binary search: the position of {@code v}, or {@code -(insertion point) - 1}. */
    private int search(long v) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = read(data, width, mid);
            if (m < v) {
                lo = mid + 1;
            } else if (m > v) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private void ensure(int bytes) {
        if (bytes > data.length) {
            data = Arrays.copyOf(data, Math.max(bytes, data.length + (data.length >> 1)));
        }
    }

    static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 4;
        }
        return 8;
    }

    private static long read(byte[] d, int w, int i) {
        switch (w) {
            case 2:
                return (short) SHORT.get(d, i * 2);
            case 4:
                return (int) INT.get(d, i * 4);
            default:
                return (long) LONG.get(d, i * 8);
        }
    }

    private static void write(byte[] d, int w, int i, long v) {
        switch (w) {
            case 2:
                SHORT.set(d, i * 2, (short) v);
                break;
            case 4:
                INT.set(d, i * 4, (int) v);
                break;
            default:
                LONG.set(d, i * 8, v);
                break;
        }
    }
}
