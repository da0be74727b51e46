package dev.peregrine.storage.set;

import dev.peregrine.storage.BytesTable;
import dev.peregrine.storage.KeyHash;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The {@code hashtable} encoding of a set: {@code byte[]} members on the open-addressing {@link BytesTable}
 * (layout, invariants, SCAN guarantee and complexity there); each slot's entry is the member array itself.
 * Executor-only.
 */
public final class BytesHashSet extends BytesTable {
    /** @param expected number of members to size the table for */
    public BytesHashSet(int expected) {
        super(expected);
    }

    /** Adds {@code member} (the set keeps the array); returns whether it was new. */
    public boolean add(byte[] member) {
        return putEntry(member, member);
    }

    public boolean contains(byte[] member) {
        return containsKey(member);
    }

    /** Visits every member once. The visitor must not modify the set. */
    public void forEach(Consumer<byte[]> visitor) {
        forEachEntry(e -> visitor.accept((byte[]) e));
    }

    @Override
    protected int hashOf(Object entry) {
        return KeyHash.hash((byte[]) entry);
    }

    @Override
    protected boolean matches(Object entry, byte[] key) {
        return Arrays.equals((byte[]) entry, key);
    }

    @Override
    protected byte[] keyOf(Object entry) {
        return (byte[]) entry;
    }

    @Override
    protected byte[] valueOf(Object entry) {
        return null;
    }

    @Override
    protected long entryBytes(Object entry) {
        return 16 + ((byte[]) entry).length;
    }
}
