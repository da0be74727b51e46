package dev.peregrine.storage.hash;

import dev.peregrine.storage.BytesTable;

import java.util.function.BiConsumer;

/**
 * The {@code hashtable} encoding of a hash: field {@code byte[]} to value {@code byte[]}, on the open-addressing
 * {@link BytesTable} (layout, invariants, SCAN guarantee and complexity there). Executor-only.
 */
public final class BytesHashMap extends BytesTable {
    /** @param expected number of fields to size the table for */
    public BytesHashMap(int expected) {
        super(true, expected);
    }

    /** The value of {@code field}, or null. Do not modify it. */
    public byte[] get(byte[] field) {
        return getValue(field);
    }

    /**
     * Sets {@code field} to {@code value}; the map keeps both arrays.
     *
     * @return whether the field is new
     */
    public boolean put(byte[] field, byte[] value) {
        return putKey(field, value);
    }

    /** Visits every field and value once. The visitor must not modify the map. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        forEachPair(visitor);
    }
}
