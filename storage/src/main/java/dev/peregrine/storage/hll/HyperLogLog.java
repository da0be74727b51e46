package dev.peregrine.storage.hll;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis's exact byte layout, so the string values move between servers unchanged.
 *
 * <h2>Layout</h2>
 * <pre>
 * offset 0..3    "HYLL"
 * offset 4       encoding      0 = dense, 1 = sparse (2 = raw, only for in-memory unions)
 * offset 5..7    unused, zero
 * offset 8..15   cardinality   cached estimate, little-endian; bit 7 of byte 15 set = stale
 * offset 16..    registers     dense: 16384 registers of 6 bits, register i in bits i*6 .. i*6+5 counted from
 *                              the least significant bit of byte 0 (12288 bytes, 12304 in all);
 *                              sparse: run-length opcodes
 *                                00xxxxxx           ZERO   1..64 registers at zero
 *                                01xxxxxx yyyyyyyy  XZERO  1..16384 registers at zero (14-bit length)
 *                                1vvvvvxx           VAL    1..4 registers holding 1..32
 * </pre>
 * An element is hashed with {@link MurmurHash64A} (seed {@code 0xadc83b19}); the low 14 bits choose the
 * register, and one plus the number of trailing zero bits of the rest (at most 51) is the value it may raise the
 * register to. The cardinality is Otmar Ertl's improved estimator over the register histogram, as Redis 7.
 *
 * <p>Static methods read a value in place as {@code (b, off, len)}. An instance holds a value being changed
 * (PFADD, PFMERGE, conversion): a private copy, starting at offset 0, with room for a sparse edit; the sparse
 * edits and the sparse-to-dense promotion follow Redis's steps, so a sequence of changes yields the same bytes.
 *
 * <p>Instances are not thread-safe; static methods are safe on arrays the caller owns.
 */
public final class HyperLogLog {
    public static final int P = 14;
    public static final int REGISTERS = 1 << P;
    public static final int Q = 64 - P;
    public static final int HEADER = 16;
    public static final int DENSE_BYTES = REGISTERS * 6 / 8;
    public static final int DENSE_SIZE = HEADER + DENSE_BYTES;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    public static final int RAW = 2;
    /** Redis's seed for element hashes. */
    public static final int SEED = 0xadc83b19;

    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;

    private byte[] buf;
    private int len;

    private HyperLogLog(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    // ---------------------------------------------------------------- creation and access

    /** A new empty sparse HLL (one XZERO over every register, cached cardinality 0): 18 bytes. */
    public static HyperLogLog create() {
        byte[] b = new byte[HEADER + 2 + 3];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        int p = HEADER;
        for (int left = REGISTERS; left > 0; ) {
            int run = Math.min(SPARSE_XZERO_MAX_LEN, left);
            b[p] = (byte) (((run - 1) >> 8) | 0x40);
            b[p + 1] = (byte) (run - 1);
            p += 2;
            left -= run;
        }
        return new HyperLogLog(b, p);
    }

    /** A private copy of the HLL value of {@code len} bytes at {@code off}, ready for changes. */
    public static HyperLogLog copyOf(byte[] b, int off, int len) {
        byte[] copy = new byte[len + 3];
        System.arraycopy(b, off, copy, 0, len);
        return new HyperLogLog(copy, len);
    }

    /** The backing array; the value is its first {@link #length()} bytes. */
    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    /** A copy of the value, exactly {@link #length()} bytes. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public int encoding() {
        return buf[4];
    }

    // ---------------------------------------------------------------- header

    /**
     * Whether {@code len} bytes at {@code off} pass Redis's isHLLObject test: at least a header, the magic, a
     * known encoding, and exactly {@link #DENSE_SIZE} bytes when dense. (Sparse opcodes are checked on use.)
     */
    public static boolean isValid(byte[] b, int off, int len) {
        if (len < HEADER || b[off] != 'H' || b[off + 1] != 'Y' || b[off + 2] != 'L' || b[off + 3] != 'L') {
            return false;
        }
        int enc = b[off + 4] & 0xff;
        if (enc > SPARSE) {
            return false;
        }
        return enc != DENSE || len == DENSE_SIZE;
    }

    public static int encoding(byte[] b, int off) {
        return b[off + 4] & 0xff;
    }

    /** Whether the cached cardinality is current. */
    public static boolean cacheValid(byte[] b, int off) {
        return (b[off + 15] & 0x80) == 0;
    }

    /** The cached cardinality (meaningful when {@link #cacheValid}). */
    public static long cachedCount(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + 8 + i] & 0xff);
        }
        return v;
    }

    /** Stores {@code count} as the cached cardinality (little-endian), which makes it current. */
    public static void writeCache(byte[] b, int off, long count) {
        for (int i = 0; i < 8; i++) {
            b[off + 8 + i] = (byte) (count >>> (8 * i));
        }
    }

    /** Marks the cached cardinality of the HLL at {@code b[off..]} stale, in place. */
    public static void invalidateCache(byte[] b, int off) {
        b[off + 15] |= (byte) 0x80;
    }

    /**
     * PFADD of one element to a dense HLL stored at {@code b[off, off+DENSE_SIZE)}, in place (the caller owns
     * the array and has checked {@link #encoding(byte[], int)} is {@link #DENSE}).
     *
     * @return 1 when a register changed (the cache is then marked stale), 0 when not
     */
    public static int addDense(byte[] b, int off, byte[] ele) {
        int rc = registerAndCount(ele, 0, ele.length);
        int index = rc & 0xffff;
        int count = rc >>> 16;
        if (denseGet(b, off + HEADER, index) < count) {
            denseSet(b, off + HEADER, index, count);
            invalidateCache(b, off);
            return 1;
        }
        return 0;
    }

    /** Marks the cached cardinality stale. */
    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    // ---------------------------------------------------------------- registers

    /** Dense register {@code i} of the register area at {@code regs}. */
    static int denseGet(byte[] b, int regs, int i) {
        int pos = i * 6;
        int byteIdx = pos >>> 3;
        int fb = pos & 7;
        int b0 = b[regs + byteIdx] & 0xff;
        int b1 = byteIdx + 1 < DENSE_BYTES ? b[regs + byteIdx + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & 63;
    }

    static void denseSet(byte[] b, int regs, int i, int v) {
        int pos = i * 6;
        int byteIdx = pos >>> 3;
        int fb = pos & 7;
        int p = regs + byteIdx;
        b[p] = (byte) ((b[p] & ~(63 << fb)) | (v << fb));
        if (byteIdx + 1 < DENSE_BYTES) {
            int fb8 = 8 - fb;
            b[p + 1] = (byte) ((b[p + 1] & ~(63 >>> fb8)) | (v >>> fb8));
        }
    }

    /** Register index (low 14 bits) and pattern length (1..51) of an element, as {@code index | len << 16}. */
    static int registerAndCount(byte[] ele, int off, int len) {
        long hash = MurmurHash64A.hash(ele, off, len, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index | count << 16;
    }

    // ---------------------------------------------------------------- adding

    /**
     * PFADD of one element.
     *
     * @param sparseMaxBytes hll-sparse-max-bytes: a sparse value that would grow beyond it becomes dense
     * @return 1 when a register changed, 0 when not, -1 when the value is corrupt
     */
    public int add(byte[] ele, int sparseMaxBytes) {
        int rc = registerAndCount(ele, 0, ele.length);
        return set(rc & 0xffff, rc >>> 16, sparseMaxBytes);
    }

    /**
     * Raises register {@code index} to {@code count} if it is lower.
     *
     * @return 1 when it changed, 0 when not, -1 when the value is corrupt
     */
    public int set(int index, int count, long sparseMaxBytes) {
        int enc = buf[4];
        if (enc == DENSE) {
            if (denseGet(buf, HEADER, index) < count) {
                denseSet(buf, HEADER, index, count);
                return 1;
            }
            return 0;
        }
        if (enc == SPARSE) {
            return sparseSet(index, count, sparseMaxBytes);
        }
        return -1;
    }

    private static boolean isZero(int b) {
        return (b & 0xc0) == 0;
    }

    private static boolean isXZero(int b) {
        return (b & 0xc0) == 0x40;
    }

    private static int zeroLen(int b) {
        return (b & 0x3f) + 1;
    }

    private int at(int p) {
        return p < len ? buf[p] & 0xff : 0;
    }

    private static int xzeroLen(int b0, int b1) {
        return ((b0 & 0x3f) << 8 | b1) + 1;
    }

    private static int valValue(int b) {
        return ((b >> 2) & 0x1f) + 1;
    }

    private static int valLen(int b) {
        return (b & 0x3) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (((value - 1) << 2) | (len - 1) | 0x80);
    }

    /** Redis's hllSparseSet: split the opcode holding the register, then merge equal VAL neighbours. */
    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promoteAndSet(index, count);
        }
        if (buf.length < len + 3) {
            buf = Arrays.copyOf(buf, len + 3 + (len >> 2));
        }
        // 1. find the opcode covering the register
        int p = HEADER;
        int end = len;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int b = buf[p] & 0xff;
            int oplen = 1;
            if (isZero(b)) {
                span = zeroLen(b);
            } else if ((b & 0x80) != 0) {
                span = valLen(b);
            } else {
                span = xzeroLen(b, at(p + 1));
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = buf[p] & 0xff;
        int next = isXZero(op) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = isZero(op);
        boolean xzero = isXZero(op);
        boolean isVal = !zero && !xzero;
        int runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, at(p + 1)) : valLen(op);
        boolean updatedInPlace = false;
        // 2. the cheap cases
        if (isVal) {
            if (valValue(op) >= count) {
                return 0;
            }
            if (runlen == 1) {
                buf[p] = val(count, 1);
                updatedInPlace = true;
            }
        }
        if (!updatedInPlace && zero && runlen == 1) {
            buf[p] = val(count, 1);
            updatedInPlace = true;
        }
        if (!updatedInPlace) {
            // 3. the general case: replace the opcode by up to three (at most 5 bytes)
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    n = putZeros(seq, n, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    n = putZeros(seq, n, last - index);
                }
            } else {
                int cur = valValue(op);
                if (index != first) {
                    seq[n++] = val(cur, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(cur, last - index);
                }
            }
            int oldLen = xzero ? 2 : 1;
            int delta = n - oldLen;
            if (delta > 0 && len + delta > sparseMaxBytes) {
                return promoteAndSet(index, count);
            }
            if (delta != 0 && next >= 0) {
                System.arraycopy(buf, next, buf, next + delta, end - next);
            }
            len += delta;
            System.arraycopy(seq, 0, buf, p, n);
            end += delta;
        }
        // 4. merge adjacent VAL opcodes of equal value, looking at up to five opcodes from the previous one
        p = prev >= 0 ? prev : HEADER;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int b = buf[p] & 0xff;
            if (isXZero(b)) {
                p += 2;
                continue;
            }
            if (isZero(b)) {
                p++;
                continue;
            }
            if (p + 1 < end && (buf[p + 1] & 0x80) != 0) {
                int b2 = buf[p + 1] & 0xff;
                int v1 = valValue(b);
                if (v1 == valValue(b2)) {
                    int merged = valLen(b) + valLen(b2);
                    if (merged <= SPARSE_VAL_MAX_LEN) {
                        buf[p + 1] = val(v1, merged);
                        System.arraycopy(buf, p + 1, buf, p, end - p - 1);
                        len--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private static int putZeros(byte[] seq, int n, int run) {
        if (run > SPARSE_ZERO_MAX_LEN) {
            seq[n] = (byte) (((run - 1) >> 8) | 0x40);
            seq[n + 1] = (byte) (run - 1);
            return n + 2;
        }
        seq[n] = (byte) (run - 1);
        return n + 1;
    }

    private int promoteAndSet(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        denseSet(buf, HEADER, index, count);
        return 1;
    }

    /**
     * Converts a sparse value to dense, keeping the header bytes (magic, cached cardinality); a dense value stays.
     *
     * @return false when the sparse opcodes do not cover exactly every register (the value is left unchanged)
     */
    public boolean toDense() {
        if (buf[4] == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(buf, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int idx = 0;
        int p = HEADER;
        while (p < len) {
            int b = buf[p] & 0xff;
            if (isZero(b)) {
                idx += zeroLen(b);
                p++;
            } else if (isXZero(b)) {
                idx += xzeroLen(b, at(p + 1));
                p += 2;
            } else {
                int run = valLen(b);
                int v = valValue(b);
                if (run + idx > REGISTERS) {
                    break;
                }
                for (int k = 0; k < run; k++) {
                    denseSet(dense, HEADER, idx++, v);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Raises {@code max[i]} to register {@code i} of the HLL value at {@code (b, off, len)} for every register
     * (Redis's hllMerge).
     *
     * @return false when the value is corrupt
     */
    public static boolean merge(byte[] max, byte[] b, int off, int len) {
        if (encoding(b, off) == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(b, off + HEADER, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int end = off + len;
        int p = off + HEADER;
        int i = 0;
        while (p < end) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                i += zeroLen(op);
                p++;
            } else if (isXZero(op)) {
                i += xzeroLen(op, p + 1 < end ? b[p + 1] & 0xff : 0);
                p += 2;
            } else {
                int run = valLen(op);
                int v = valValue(op);
                if (run + i > REGISTERS) {
                    break;
                }
                for (int k = 0; k < run; k++, i++) {
                    if (v > max[i]) {
                        max[i] = (byte) v;
                    }
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /**
     * The estimated cardinality of the HLL value at {@code (b, off, len)} (not using the cache), or -1 when a
     * sparse value's opcodes do not cover exactly every register.
     */
    public static long count(byte[] b, int off, int len) {
        int[] histo = new int[64];
        if (encoding(b, off) == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histo[denseGet(b, off + HEADER, i)]++;
            }
        } else {
            int end = off + len;
            int p = off + HEADER;
            int idx = 0;
            while (p < end) {
                int op = b[p] & 0xff;
                int run;
                if (isZero(op)) {
                    run = zeroLen(op);
                    histo[0] += run;
                    p++;
                } else if (isXZero(op)) {
                    run = xzeroLen(op, p + 1 < end ? b[p + 1] & 0xff : 0);
                    histo[0] += run;
                    p += 2;
                } else {
                    run = valLen(op);
                    histo[valValue(op)] += run;
                    p++;
                }
                idx += run;
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return estimate(histo);
    }

    /** The estimated cardinality of plain registers, one byte each (the union PFCOUNT builds). */
    public static long countRegisters(byte[] registers) {
        int[] histo = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            histo[registers[i] & 63]++;
        }
        return estimate(histo);
    }

    /** Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog sketches"). */
    static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (previous != z);
        return z / 3;
    }

    /** The dense register values of a dense value at {@code off} (PFDEBUG GETREG). */
    public static int[] denseRegisters(byte[] b, int off) {
        int[] regs = new int[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            regs[i] = denseGet(b, off + HEADER, i);
        }
        return regs;
    }

    /** The sparse opcodes as text, {@code z:len Z:len v:value,len} separated by spaces (PFDEBUG DECODE). */
    public static String decodeSparse(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        int end = off + len;
        int p = off + HEADER;
        while (p < end) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                sb.append("z:").append(zeroLen(op)).append(' ');
                p++;
            } else if (isXZero(op)) {
                sb.append("Z:").append(xzeroLen(op, p + 1 < end ? b[p + 1] & 0xff : 0)).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
                p++;
            }
        }
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        return sb.substring(0, n);
    }
}
