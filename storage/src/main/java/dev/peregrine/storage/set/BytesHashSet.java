package dev.peregrine.storage.set;

import dev.peregrine.storage.BytesTable;

import java.util.function.Consumer;

/**
 * The {@code hashtable} encoding of a set: {@code byte[]} members on the open-addressing {@link BytesTable}
 * (layout, invariants, SCAN guarantee and complexity there). Executor-only.
 */
public final class BytesHashSet extends BytesTable {
    /** @param expected number of members to size the table for */
    public BytesHashSet(int expected) {
        super(false, expected);
    }

    /** Adds {@code member} (the set keeps the array); returns whether it was new. */
    public boolean add(byte[] member) {
        return putKey(member, null);
    }

    public boolean contains(byte[] member) {
        return containsKey(member);
    }

    /** Visits every member once. The visitor must not modify the set. */
    public void forEach(Consumer<byte[]> visitor) {
        forEachPair((k, v) -> visitor.accept(k));
    }
}
