package dev.peregrine.storage.list;

import com.ning.compress.lzf.LZFDecoder;
import com.ning.compress.lzf.LZFEncoder;
import com.ning.compress.lzf.LZFException;
import dev.peregrine.storage.Numbers;

import java.util.Arrays;

/**
 * A compact sequence of string/integer elements in one {@code byte[]}, walkable from both ends.
 *
 * <h2>Memory layout</h2>
 * <pre>
 *  buf: [entry 0][entry 1] ... [entry n-1][ spare capacity ]
 *        ^0                               ^used
 *
 *  entry: [tag + payload ("encoding", e bytes)][backlen (1..5 bytes) = e]
 *
 *  tag byte (first byte of the encoding)       payload            e
 *  0xxxxxxx   integer 0..127 in the tag         -                  1
 *  10LLLLLL   string, length 0..63              L bytes            1+L
 *  110xxxxx   integer -4096..4095 (13 bit)      1 more byte        2
 *  1110LLLL   string, length 64..4095 (12 bit)  1 length byte + L  2+L
 *  11110000   string, longer                    4-byte length + L  5+L
 *  11110001   integer, 16 bit                   2 bytes LE         3
 *  11110010   integer, 24 bit                   3 bytes LE         4
 *  11110011   integer, 32 bit                   4 bytes LE         5
 *  11110100   integer, 64 bit                   8 bytes LE         9
 *
 *  backlen: e in 7-bit groups, most significant group leftmost; every byte but the leftmost has bit 7 set,
 *  so reading right to left from the end of an entry finds its start: 1 byte for e &lt;= 127, 2 below 16383,
 *  3 below 2097151, 4 below 268435455, else 5.
 * </pre>
 * The element count and the used length are fields rather than a header in the array. An element whose bytes
 * are a canonical 64-bit decimal integer (Redis's {@code string2ll}: no sign {@code +}, no leading zeros) is
 * stored as an integer, and reads back as the same bytes.
 *
 * <h2>Size</h2>
 * Every entry takes exactly as many bytes as in Redis 7.2's listpack, and {@link #bytes()} adds the 7 bytes of
 * Redis's header and end marker, so {@code bytes()} equals Redis's {@code lpBytes} for the same elements and the
 * {@code list-max-listpack-size} thresholds fall at the same element. The array grows by half its size when
 * full (amortised O(1) appends) and shrinks when less than a quarter is used; {@link #trimToSize()} drops the
 * spare capacity (the quicklist does so to an end node once it is full and a new end node starts).
 *
 * <h2>Positions and complexity</h2>
 * Elements are addressed by position (byte offset of the entry, -1 for none). With n elements and b bytes:
 * {@link #first()}, {@link #last()}, {@link #next}, {@link #prev}, reading an element at a position: O(1);
 * {@link #seek} (index to position): O(min(i, n-i)); {@link #append}: amortised O(1);
 * {@link #prepend}, {@link #insert}, {@link #delete}, {@link #replace}: O(b) (the bytes after the position
 * move); {@link #split}: O(b).
 *
 * <h2>Compression</h2>
 * {@link #compress()} replaces the array by its LZF-compressed form (quicklist interior nodes, see
 * {@code list-compress-depth}); {@link #size()} and {@link #bytes()} stay valid, and any other access
 * decompresses it first, in O(b).
 *
 * <p>Invariants: when not compressed, {@code 0 <= used <= buf.length}, the entries tile {@code [0, used)}
 * exactly and {@code count} is their number; when compressed, {@code buf} is the LZF form of those {@code used}
 * bytes. Not thread-safe; executor-only.
 */
public final class Listpack {
    /** Bytes Redis's listpack spends outside the entries: 4 total bytes, 2 count, 1 end marker. */
    public static final int OVERHEAD = 7;
    private static final byte[] EMPTY = new byte[0];

    /** Below this many bytes a listpack is not worth compressing (as Redis's MIN_COMPRESS_BYTES). */
    static final int MIN_COMPRESS_BYTES = 48;
    /** Compression must save at least this many bytes to be kept (as Redis's MIN_COMPRESS_IMPROVE). */
    static final int MIN_COMPRESS_IMPROVE = 8;

    private byte[] buf;
    private int used;
    private int count;
    private boolean compressed;

    public Listpack() {
        buf = EMPTY;
    }

    private Listpack(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    /** Number of elements. */
    public int size() {
        return count;
    }

    /** Size in bytes as Redis's listpack would have it (entries plus 7 bytes of header and end marker). */
    public int bytes() {
        return used + OVERHEAD;
    }

    /** A deep copy, compressed if this one is. O(b). */
    public Listpack copy() {
        if (compressed) {
            Listpack c = new Listpack(buf.clone(), used, count);
            c.compressed = true;
            return c;
        }
        return new Listpack(Arrays.copyOf(buf, used), used, count);
    }

    // ------------------------------------------------------------------ compression

    /** Whether the array is held LZF-compressed. */
    public boolean isCompressed() {
        return compressed;
    }

    /**
     * Compresses the array unless it is small or compression saves too little. O(b).
     *
     * @return whether it is now compressed
     */
    public boolean compress() {
        if (compressed) {
            return true;
        }
        if (used + OVERHEAD < MIN_COMPRESS_BYTES) {
            return false;
        }
        byte[] lzf = LZFEncoder.safeEncode(buf, 0, used);
        if (lzf.length + MIN_COMPRESS_IMPROVE >= used) {
            return false;
        }
        buf = lzf;
        compressed = true;
        return true;
    }

    /** Restores the plain array of a compressed listpack; a no-op otherwise. O(b). */
    public void decompress() {
        if (!compressed) {
            return;
        }
        byte[] raw = new byte[used];
        try {
            LZFDecoder.safeDecode(buf, raw);
        } catch (LZFException e) {
            throw new IllegalStateException("corrupt compressed listpack", e);
        }
        buf = raw;
        compressed = false;
    }

    // ------------------------------------------------------------------ navigation

    /** Position of the first element, or -1 when empty. */
    public int first() {
        decompress();
        return count == 0 ? -1 : 0;
    }

    /** Position of the last element, or -1 when empty. */
    public int last() {
        decompress();
        return used == 0 ? -1 : entryStartBefore(used);
    }

    /** Position after {@code p}, or -1. */
    public int next(int p) {
        decompress();
        int q = p + entrySize(p);
        return q >= used ? -1 : q;
    }

    /** Position before {@code p}, or -1. */
    public int prev(int p) {
        decompress();
        return p <= 0 ? -1 : entryStartBefore(p);
    }

    /** Position of element {@code index} (0-based; negative counts from the tail, -1 = last), or -1. */
    public int seek(long index) {
        decompress();
        if (index < 0) {
            index += count;
        }
        if (index < 0 || index >= count) {
            return -1;
        }
        int p;
        if (index <= count / 2) {
            p = 0;
            for (long i = 0; i < index; i++) {
                p += entrySize(p);
            }
        } else {
            p = used;
            for (long i = count; i > index; i--) {
                p = entryStartBefore(p);
            }
        }
        return p;
    }

    private int entryStartBefore(int end) {
        int r = end - 1;
        int e = 0;
        int shift = 0;
        while (true) {
            int b = buf[r] & 0xff;
            e |= (b & 127) << shift;
            if ((b & 128) == 0) {
                break;
            }
            r--;
            shift += 7;
        }
        return end - backlenSize(e) - e;
    }

    private int entrySize(int p) {
        int e = encodingLength(p);
        return e + backlenSize(e);
    }

    private int encodingLength(int p) {
        int tag = buf[p] & 0xff;
        if (tag < 0x80) {
            return 1;
        }
        if ((tag & 0xC0) == 0x80) {
            return 1 + (tag & 0x3F);
        }
        if ((tag & 0xE0) == 0xC0) {
            return 2;
        }
        if ((tag & 0xF0) == 0xE0) {
            return 2 + (((tag & 0x0F) << 8) | (buf[p + 1] & 0xff));
        }
        switch (tag) {
            case 0xF0: return 5 + readInt32(p + 1);
            case 0xF1: return 3;
            case 0xF2: return 4;
            case 0xF3: return 5;
            case 0xF4: return 9;
            default: throw new IllegalStateException("corrupt listpack tag " + tag);
        }
    }

    static int backlenSize(long e) {
        if (e <= 127) {
            return 1;
        } else if (e < 16383) {
            return 2;
        } else if (e < 2097151) {
            return 3;
        } else if (e < 268435455) {
            return 4;
        }
        return 5;
    }

    // ------------------------------------------------------------------ reading

    /** Whether the element at {@code p} is stored as an integer. */
    public boolean isInt(int p) {
        decompress();
        int tag = buf[p] & 0xff;
        return tag < 0x80 || (tag & 0xE0) == 0xC0 || (tag >= 0xF1 && tag <= 0xF4);
    }

    /** The value of an integer element. */
    public long intValue(int p) {
        decompress();
        int tag = buf[p] & 0xff;
        if (tag < 0x80) {
            return tag;
        }
        if ((tag & 0xE0) == 0xC0) {
            int raw = ((tag & 0x1F) << 8) | (buf[p + 1] & 0xff);
            return raw >= 4096 ? raw - 8192 : raw;
        }
        switch (tag) {
            case 0xF1: return (short) ((buf[p + 1] & 0xff) | (buf[p + 2] & 0xff) << 8);
            case 0xF2: return ((buf[p + 1] & 0xff) | (buf[p + 2] & 0xff) << 8 | (buf[p + 3]) << 16);
            case 0xF3: return readInt32(p + 1);
            case 0xF4: return (readInt32(p + 1) & 0xffffffffL) | ((long) readInt32(p + 5) << 32);
            default: throw new IllegalStateException("not an integer entry");
        }
    }

    /** Offset in {@link #buffer()} of a string element's bytes. */
    public int stringOffset(int p) {
        decompress();
        int tag = buf[p] & 0xff;
        if ((tag & 0xC0) == 0x80) {
            return p + 1;
        }
        return (tag & 0xF0) == 0xE0 ? p + 2 : p + 5;
    }

    /** Length of a string element. */
    public int stringLength(int p) {
        decompress();
        int tag = buf[p] & 0xff;
        if ((tag & 0xC0) == 0x80) {
            return tag & 0x3F;
        }
        return (tag & 0xF0) == 0xE0 ? ((tag & 0x0F) << 8) | (buf[p + 1] & 0xff) : readInt32(p + 1);
    }

    /** The backing array, for reading string elements in place; valid until the next change. */
    public byte[] buffer() {
        decompress();
        return buf;
    }

    /** A copy of the element's bytes. */
    public byte[] get(int p) {
        if (isInt(p)) {
            return Numbers.toBytes(intValue(p));
        }
        int off = stringOffset(p);
        return Arrays.copyOfRange(buf, off, off + stringLength(p));
    }

    /** Hands the element at {@code p} to {@code sink} without copying it. */
    public void emit(int p, ElementSink sink) {
        if (isInt(p)) {
            sink.integer(intValue(p));
        } else {
            sink.string(buf, stringOffset(p), stringLength(p));
        }
    }

    /**
     * Whether the element at {@code p} equals {@code v}; {@code vInt} is {@link Element#asInt}'s result for
     * {@code v}. O(length).
     */
    public boolean matches(int p, byte[] v, Element vInt) {
        if (isInt(p)) {
            return vInt.isInt && intValue(p) == vInt.value;
        }
        if (vInt.isInt) {
            return false; // integer-looking strings are always stored as integers
        }
        int len = stringLength(p);
        int off = stringOffset(p);
        return len == v.length && Arrays.equals(buf, off, off + len, v, 0, len);
    }

    /** An element's integer form, computed once for repeated comparisons. */
    public static final class Element {
        final boolean isInt;
        final long value;

        private Element(boolean isInt, long value) {
            this.isInt = isInt;
            this.value = value;
        }

        /** The integer form of {@code v} when it is a canonical 64-bit decimal, else a string marker. */
        public static Element asInt(byte[] v) {
            long l = Numbers.parseLong(v, 0, v.length);
            if (l == Numbers.NOT_A_LONG && !Numbers.isLong(v)) {
                return new Element(false, 0);
            }
            return new Element(true, l);
        }
    }

    // ------------------------------------------------------------------ writing

    /** Adds {@code v} after the last element. Amortised O(1). */
    public void append(byte[] v) {
        insertAt(used, v);
    }

    /** Adds {@code v} before the first element. O(b). */
    public void prepend(byte[] v) {
        insertAt(0, v);
    }

    /** Inserts {@code v} before the element at {@code p}; {@code p == -1} appends. O(b). */
    public void insert(int p, byte[] v) {
        insertAt(p < 0 ? used : p, v);
    }

    /** Inserts {@code v} after the element at {@code p}. O(b). */
    public void insertAfter(int p, byte[] v) {
        decompress();
        insertAt(p + entrySize(p), v);
    }

    /**
     * The size in bytes an element takes as an entry here (encoding plus backlen).
     */
    public static int entryBytes(byte[] v) {
        int e = encodedLength(v);
        return e + backlenSize(e);
    }

    private static int encodedLength(byte[] v) {
        long l = Numbers.parseLong(v, 0, v.length);
        if (l != Numbers.NOT_A_LONG || Numbers.isLong(v)) {
            return intEncodedLength(l);
        }
        return stringEncodedLength(v.length);
    }

    private static int intEncodedLength(long l) {
        if (l >= 0 && l <= 127) {
            return 1;
        } else if (l >= -4096 && l <= 4095) {
            return 2;
        } else if (l >= Short.MIN_VALUE && l <= Short.MAX_VALUE) {
            return 3;
        } else if (l >= -8388608 && l <= 8388607) {
            return 4;
        } else if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return 5;
        }
        return 9;
    }

    private static int stringEncodedLength(int len) {
        if (len <= 63) {
            return 1 + len;
        } else if (len <= 4095) {
            return 2 + len;
        }
        return 5 + len;
    }

    private void insertAt(int at, byte[] v) {
        decompress();
        int e = encodedLength(v);
        int total = e + backlenSize(e);
        ensureCapacity(used + total);
        if (at < used) {
            System.arraycopy(buf, at, buf, at + total, used - at);
        }
        write(at, v, e);
        used += total;
        count++;
    }

    /** Writes the entry for {@code v} (encoding length {@code e}) at {@code at}. */
    private void write(int at, byte[] v, int e) {
        long l = Numbers.parseLong(v, 0, v.length);
        boolean isInt = l != Numbers.NOT_A_LONG || Numbers.isLong(v);
        if (isInt) {
            writeInt(at, l, e);
        } else {
            int len = v.length;
            int off;
            if (e == 1 + len && len <= 63) {
                buf[at] = (byte) (0x80 | len);
                off = at + 1;
            } else if (len <= 4095) {
                buf[at] = (byte) (0xE0 | (len >>> 8));
                buf[at + 1] = (byte) len;
                off = at + 2;
            } else {
                buf[at] = (byte) 0xF0;
                writeInt32(at + 1, len);
                off = at + 5;
            }
            System.arraycopy(v, 0, buf, off, len);
        }
        int bl = backlenSize(e);
        int q = at + e;
        for (int k = 0; k < bl; k++) {
            int b = (e >>> (7 * k)) & 127;
            if (k < bl - 1) {
                b |= 128;
            }
            buf[q + bl - 1 - k] = (byte) b;
        }
    }

    private void writeInt(int at, long l, int e) {
        switch (e) {
            case 1:
                buf[at] = (byte) l;
                break;
            case 2: {
                int raw = (int) (l < 0 ? l + 8192 : l);
                buf[at] = (byte) (0xC0 | (raw >>> 8));
                buf[at + 1] = (byte) raw;
                break;
            }
            case 3:
                buf[at] = (byte) 0xF1;
                buf[at + 1] = (byte) l;
                buf[at + 2] = (byte) (l >>> 8);
                break;
            case 4:
                buf[at] = (byte) 0xF2;
                buf[at + 1] = (byte) l;
                buf[at + 2] = (byte) (l >>> 8);
                buf[at + 3] = (byte) (l >>> 16);
                break;
            case 5:
                buf[at] = (byte) 0xF3;
                writeInt32(at + 1, (int) l);
                break;
            default:
                buf[at] = (byte) 0xF4;
                writeInt32(at + 1, (int) l);
                writeInt32(at + 5, (int) (l >>> 32));
        }
    }

    private int readInt32(int at) {
        return (buf[at] & 0xff) | (buf[at + 1] & 0xff) << 8 | (buf[at + 2] & 0xff) << 16 | buf[at + 3] << 24;
    }

    private void writeInt32(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) (v >>> 16);
        buf[at + 3] = (byte) (v >>> 24);
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            int n = Math.max(needed, buf.length + (buf.length >> 1) + 16);
            buf = Arrays.copyOf(buf, n);
        }
    }

    /**
     * Drops the spare capacity of the array (a no-op when compressed or already exact), for a node that is full
     * and will not grow soon. O(b) when it copies.
     */
    public void trimToSize() {
        if (!compressed && buf.length > used) {
            buf = used == 0 ? EMPTY : Arrays.copyOf(buf, used);
        }
    }

    /** Bytes taken by the entries alone: {@link #bytes()} without Redis's 7 bytes of header and end marker. */
    public int entriesBytes() {
        return used;
    }

    /**
     * Copies the entries ({@link #entriesBytes()} bytes, Redis's listpack entry encoding) to {@code dest} at
     * {@code off}, decompressing a compressed listpack into {@code dest} without changing it (a snapshot reads
     * nodes this way, so the list keeps its compression). O(b).
     */
    public void copyEntriesTo(byte[] dest, int off) {
        if (!compressed) {
            System.arraycopy(buf, 0, dest, off, used);
            return;
        }
        byte[] raw = new byte[used];
        try {
            LZFDecoder.safeDecode(buf, raw);
        } catch (LZFException e) {
            throw new IllegalStateException("corrupt compressed listpack", e);
        }
        System.arraycopy(raw, 0, dest, off, used);
    }

    /** Length of the backing array in bytes (used plus spare capacity, or the compressed form). */
    int capacity() {
        return buf.length;
    }

    private void maybeShrink() {
        if (buf.length > 64 && used < buf.length >> 2) {
            buf = Arrays.copyOf(buf, used + (used >> 1) + 16);
        }
    }

    /**
     * Removes up to {@code n} elements starting at position {@code p}. O(b).
     *
     * @return the position of the element now following the removed ones, or -1 when none follows
     */
    public int delete(int p, int n) {
        decompress();
        int q = p;
        int removed = 0;
        while (removed < n && q < used) {
            q += entrySize(q);
            removed++;
        }
        System.arraycopy(buf, q, buf, p, used - q);
        used -= q - p;
        count -= removed;
        maybeShrink();
        return p >= used ? -1 : p;
    }

    /** Replaces the element at {@code p} by {@code v}; the position stays valid. O(b). */
    public void replace(int p, byte[] v) {
        decompress();
        int old = entrySize(p);
        int e = encodedLength(v);
        int total = e + backlenSize(e);
        if (total != old) {
            ensureCapacity(used - old + total);
            System.arraycopy(buf, p + old, buf, p + total, used - p - old);
            used += total - old;
        }
        write(p, v, e);
    }

    /** Removes the first element and returns its bytes, or null when empty. O(b). */
    public byte[] popFirst() {
        decompress();
        if (count == 0) {
            return null;
        }
        byte[] v = get(0);
        delete(0, 1);
        return v;
    }

    /** Removes the last element and returns its bytes, or null when empty. O(1). */
    public byte[] popLast() {
        decompress();
        if (count == 0) {
            return null;
        }
        int p = last();
        byte[] v = get(p);
        used = p;
        count--;
        maybeShrink();
        return v;
    }

    /**
     * Moves elements {@code [index, size)} into a new listpack and returns it; this one keeps {@code [0, index)}.
     * O(b).
     */
    public Listpack split(int index) {
        decompress();
        int p = index >= count ? used : seek(index);
        Listpack tail = new Listpack(Arrays.copyOfRange(buf, p, used), used - p, count - index);
        used = p;
        count = index;
        maybeShrink();
        return tail;
    }

    /** Appends every element of {@code other} (which is left unchanged). O(b of both). */
    public void appendAll(Listpack other) {
        decompress();
        other.decompress();
        ensureCapacity(used + other.used);
        System.arraycopy(other.buf, 0, buf, used, other.used);
        used += other.used;
        count += other.count;
    }
}
