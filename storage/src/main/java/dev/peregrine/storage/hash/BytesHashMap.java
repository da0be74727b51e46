package dev.peregrine.storage.hash;

import dev.peregrine.storage.BytesTable;
import dev.peregrine.storage.KeyHash;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The {@code hashtable} encoding of a hash: field {@code byte[]} to value {@code byte[]}, on the open-addressing
 * {@link BytesTable} (slot layout, invariants, SCAN guarantee and complexity there). Each slot's entry is ONE
 * array holding field and value, so a field costs one array header instead of two:
 * <pre>
 *   entry:  [field length: unsigned varint, 1..5 bytes, 7 bits each, low bits first][field bytes][value bytes]
 *   value length = entry length - varint size - field length
 * </pre>
 * Reads that hand out a field or value ({@link #get}, {@link #forEach}, {@link #scan}, {@link #randomKey}) copy
 * it out of the entry. Executor-only.
 */
public final class BytesHashMap extends BytesTable {
    private static final byte[] EMPTY = new byte[0];

    /** @param expected number of fields to size the table for */
    public BytesHashMap(int expected) {
        super(expected);
    }

    /** A copy of the value of {@code field}, or null. */
    public byte[] get(byte[] field) {
        Object e = getEntry(field);
        return e == null ? null : value((byte[]) e);
    }

    /** The length in bytes of the value of {@code field}, or -1 when absent; copies nothing. */
    public int valueLength(byte[] field) {
        Object e = getEntry(field);
        return e == null ? -1 : entryValueLength((byte[]) e);
    }

    /**
     * Sets {@code field} to {@code value} (null counts as empty); the map copies both into one new entry.
     *
     * @return whether the field is new
     */
    public boolean put(byte[] field, byte[] value) {
        return putEntry(field, pack(field, value == null ? EMPTY : value));
    }

    /** Visits every field and value (copies) once. The visitor must not modify the map. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        forEachPair(visitor);
    }

    // ---------------------------------------------------------------- the packed entry

    /** The entry holding {@code field} and {@code value}. */
    static byte[] pack(byte[] field, byte[] value) {
        int f = field.length;
        int vs = varintSize(f);
        byte[] e = new byte[vs + f + value.length];
        int p = 0;
        int v = f;
        while ((v & ~0x7F) != 0) {
            e[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        e[p++] = (byte) v;
        System.arraycopy(field, 0, e, p, f);
        System.arraycopy(value, 0, e, p + f, value.length);
        return e;
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** The field length stored at the start of {@code e}. */
    static int fieldLength(byte[] e) {
        int v = 0;
        int shift = 0;
        for (int p = 0; ; p++, shift += 7) {
            int b = e[p];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    /** Offset of the field bytes in {@code e}. */
    static int fieldOffset(byte[] e) {
        return varintSize(fieldLength(e));
    }

    /** Offset of the value bytes in {@code e}. */
    static int valueOffset(byte[] e) {
        int f = fieldLength(e);
        return varintSize(f) + f;
    }

    static int entryValueLength(byte[] e) {
        return e.length - valueOffset(e);
    }

    static byte[] field(byte[] e) {
        int f = fieldLength(e);
        int off = varintSize(f);
        return Arrays.copyOfRange(e, off, off + f);
    }

    static byte[] value(byte[] e) {
        return Arrays.copyOfRange(e, valueOffset(e), e.length);
    }

    @Override
    protected int hashOf(Object entry) {
        byte[] e = (byte[]) entry;
        int f = fieldLength(e);
        return KeyHash.hash(e, varintSize(f), f);
    }

    @Override
    protected boolean matches(Object entry, byte[] key) {
        byte[] e = (byte[]) entry;
        int f = fieldLength(e);
        if (f != key.length) {
            return false;
        }
        int off = varintSize(f);
        return Arrays.equals(e, off, off + f, key, 0, f);
    }

    @Override
    protected byte[] keyOf(Object entry) {
        return field((byte[]) entry);
    }

    @Override
    protected byte[] valueOf(Object entry) {
        return value((byte[]) entry);
    }

    @Override
    protected long entryBytes(Object entry) {
        return 16 + ((byte[]) entry).length;
    }
}
