package dev.peregrine.storage;

import java.util.Arrays;

/**
 * A string key and its value packed into one byte array, so a small string key costs one object.
 *
 * <h2>Layout</h2>
 * <pre>
 * offset 0      flags        bit 0: expiry present; bit 1: RAW (value was modified in place, OBJECT ENCODING
 *                            says "raw" whatever its length, as Redis does after APPEND and SETRANGE); bit 2:
 *                            NOT_INT (never "int" even if the value reads as an integer, as Redis's
 *                            INCRBYFLOAT results); bit 3: SNAPSHOT mark (see {@link Entry#snapshotMark})
 * offset 1..4   access clock int, big-endian (see {@link Entry#accessClock})
 * offset 5..12  expire-at    long ms, big-endian, only when flag bit 0 is set
 * then          key length   unsigned varint, 1..5 bytes, 7 bits each, low bits first
 * then          key bytes
 * then          value bytes  to the end of the array
 * </pre>
 * A key of 10 bytes with a value of 12 costs 16 (array header) + 5 + 1 + 10 + 12 = 44, padded to 48 bytes.
 *
 * <p>Entries are immutable once in the table: a write builds a new array ({@code SET} had to copy the value from
 * the request anyway), so a reader holding an entry, such as a snapshot, sees a stable value. The one exception:
 * the bitmap and HyperLogLog commands change the value bytes of a RAW entry in place when its length stays, after
 * passing the database's write barrier ({@link Database#lookupForWrite}), as Redis changes such strings in place.
 * Static helpers only; any thread for arrays it owns.
 */
public final class StringEntry {
    static final int FLAG_EXPIRE = 1;
    static final int FLAG_RAW = 2;
    static final int FLAG_NOT_INT = 4;
    static final int FLAG_SNAPSHOT = 8;
    static final int CLOCK_OFFSET = 1;
    static final int EXPIRE_OFFSET = 5;
    private static final int FIXED_HEADER = 5;

    private StringEntry() {
    }

    /** A new entry; {@code expireAt} is {@link Entry#NO_EXPIRE} or a unix time in ms. */
    public static byte[] create(byte[] key, byte[] value, int valueOffset, int valueLength, long expireAt,
                                boolean raw, int accessClock) {
        int keyLen = key.length;
        int header = FIXED_HEADER + (expireAt != Entry.NO_EXPIRE ? 8 : 0);
        int varint = varintSize(keyLen);
        byte[] e = new byte[header + varint + keyLen + valueLength];
        e[0] = (byte) ((expireAt != Entry.NO_EXPIRE ? FLAG_EXPIRE : 0) | (raw ? FLAG_RAW : 0));
        putInt(e, CLOCK_OFFSET, accessClock);
        if (expireAt != Entry.NO_EXPIRE) {
            putLong(e, EXPIRE_OFFSET, expireAt);
        }
        int p = header;
        int v = keyLen;
        while (v >= 0x80) {
            e[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        e[p++] = (byte) v;
        System.arraycopy(key, 0, e, p, keyLen);
        System.arraycopy(value, valueOffset, e, p + keyLen, valueLength);
        return e;
    }

    public static byte[] create(byte[] key, byte[] value, long expireAt, int accessClock) {
        return create(key, value, 0, value.length, expireAt, false, accessClock);
    }

    /** The same entry with another expiry ({@link Entry#NO_EXPIRE} to remove it). */
    public static byte[] withExpire(byte[] e, long expireAt) {
        byte[] copy = create(key(e), e, valueOffset(e), valueLength(e), expireAt, isRaw(e), accessClock(e));
        copy[0] |= (byte) (e[0] & FLAG_NOT_INT);
        return copy;
    }

    /**
     * Marks a new entry (not yet in a table) as never int-encoded: OBJECT ENCODING reports "embstr" or "raw" by
     * length, as Redis does for values it builds as strings from a number (INCRBYFLOAT). Returns {@code e}.
     */
    public static byte[] notIntEncoded(byte[] e) {
        e[0] |= FLAG_NOT_INT;
        return e;
    }

    /** The same key and expiry with another value. */
    public static byte[] withValue(byte[] e, byte[] value, boolean raw) {
        return create(key(e), value, 0, value.length, expireAt(e), raw, accessClock(e));
    }

    static boolean hasExpire(byte[] e) {
        return (e[0] & FLAG_EXPIRE) != 0;
    }

    /** Whether OBJECT ENCODING must say "raw" whatever the value looks like. */
    public static boolean isRaw(byte[] e) {
        return (e[0] & FLAG_RAW) != 0;
    }

    public static long expireAt(byte[] e) {
        return hasExpire(e) ? getLong(e, EXPIRE_OFFSET) : Entry.NO_EXPIRE;
    }

    public static int accessClock(byte[] e) {
        return getInt(e, CLOCK_OFFSET);
    }

    static void accessClock(byte[] e, int clock) {
        putInt(e, CLOCK_OFFSET, clock);
    }

    private static int keyLengthOffset(byte[] e) {
        return hasExpire(e) ? FIXED_HEADER + 8 : FIXED_HEADER;
    }

    /** Offset of the key bytes. */
    public static int keyOffset(byte[] e) {
        int p = keyLengthOffset(e);
        while ((e[p] & 0x80) != 0) {
            p++;
        }
        return p + 1;
    }

    /** Length of the key, in bytes. */
    public static int keyLength(byte[] e) {
        int p = keyLengthOffset(e);
        int shift = 0;
        int len = 0;
        byte b;
        do {
            b = e[p++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return len;
    }

    /** A copy of the key. */
    public static byte[] key(byte[] e) {
        int off = keyOffset(e);
        return Arrays.copyOfRange(e, off, off + keyLength(e));
    }

    public static boolean keyEquals(byte[] e, byte[] key) {
        int p = keyLengthOffset(e);
        int len = 0;
        int shift = 0;
        byte b;
        do {
            b = e[p++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return len == key.length && Arrays.equals(e, p, p + len, key, 0, len);
    }

    /** Offset of the value bytes; they run to the end of the array. */
    public static int valueOffset(byte[] e) {
        return keyOffset(e) + keyLength(e);
    }

    public static int valueLength(byte[] e) {
        return e.length - valueOffset(e);
    }

    /** A copy of the value. */
    public static byte[] value(byte[] e) {
        return Arrays.copyOfRange(e, valueOffset(e), e.length);
    }

    /** OBJECT ENCODING of a string: {@code int}, {@code embstr} (up to 44 bytes) or {@code raw}, as Redis. */
    public static String encoding(byte[] e) {
        if (isRaw(e)) {
            return "raw";
        }
        int off = valueOffset(e);
        int len = e.length - off;
        if ((e[0] & FLAG_NOT_INT) == 0 && len <= 20 && Numbers.isLong(e, off, len)) {
            return "int";
        }
        return len <= 44 ? "embstr" : "raw";
    }

    static int varintSize(int v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xffffffffL);
    }

    /** The snapshot mark bit (metadata, not part of the value; set in place on a table's entry). */
    static boolean snapshotMark(byte[] e) {
        return (e[0] & FLAG_SNAPSHOT) != 0;
    }

    static void snapshotMark(byte[] e, boolean mark) {
        e[0] = (byte) (mark ? e[0] | FLAG_SNAPSHOT : e[0] & ~FLAG_SNAPSHOT);
    }
}
