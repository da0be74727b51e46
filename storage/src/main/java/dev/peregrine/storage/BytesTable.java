package dev.peregrine.storage;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * The open-addressing table under the {@code hashtable} encoding of hashes and sets and the member index of
 * sorted sets: the shared core ({@link OpenTable}: linear probing, 1-byte hash tags, tombstones, incremental
 * rehashing, Redis's reverse-binary SCAN cursor; see its comment for layout and invariants) with one entry object
 * per slot, found by its {@code byte[]} key. What an entry is belongs to the subclass: the member array itself
 * (sets), one packed array holding field and value (hashes), a skiplist node (sorted sets); the subclass says how
 * to match an entry against a key and how to read its key and value. Capacity is a power of two, at least 4; a
 * table that passes 3/4 full grows to room for twice its live entries and shrinks below 1/8 live.
 *
 * <h2>Complexity</h2>
 * Lookup, insert and delete O(1) expected; each also moves {@link OpenTable#REHASH_STEP_SLOTS} slots of an ongoing
 * rehash, so growth never pauses for more than that (a moved entry's hash is recomputed from its key, O(key
 * length)). {@link #scan} visits one home slot (and its siblings in the other table while rehashing) per step,
 * hashing the entries of the probe runs it walks. Random sampling O(1) expected.
 *
 * <p>Callers must not modify keys or values they get or put. Executor-only; no locking.
 */
public abstract class BytesTable extends OpenTable {
    static final int MIN_CAPACITY = 4;

    /** @param expected number of keys to size the table for */
    protected BytesTable(int expected) {
        super(MIN_CAPACITY, 200, expected);
    }

    // ---------------------------------------------------------------- what an entry is (subclass)

    /** The key of {@code entry}: the stored array or a copy, which callers must not modify. */
    protected abstract byte[] keyOf(Object entry);

    /** The value of {@code entry} as an array (the stored array or a copy), or null when entries have none. */
    protected abstract byte[] valueOf(Object entry);

    /** Approximate heap bytes of {@code entry} beyond its slot, for {@link #memoryBytes}. */
    protected abstract long entryBytes(Object entry);

    /** Approximate bytes held by the slot arrays and the keys and values. */
    public final long memoryBytes() {
        long[] sum = {slotCount() * 5 + 48};
        forEachEntry(e -> sum[0] += entryBytes(e));
        return sum[0];
    }

    // ---------------------------------------------------------------- lookup and update

    /** Whether {@code key} is present. */
    public final boolean containsKey(byte[] key) {
        return lookup(key, KeyHash.hash(key)) != null;
    }

    /** The entry of {@code key}, or null when absent. */
    protected final Object getEntry(byte[] key) {
        return lookup(key, KeyHash.hash(key));
    }

    /**
     * Stores {@code entry} (whose key is {@code key}) as a new entry or in place of the entry with that key.
     *
     * @return whether the key is new
     */
    protected final boolean putEntry(byte[] key, Object entry) {
        return store(key, KeyHash.hash(key), entry) == null;
    }

    /** Removes {@code key}; returns whether it was present. */
    public final boolean remove(byte[] key) {
        return delete(key, KeyHash.hash(key)) != null;
    }

    // ---------------------------------------------------------------- iteration and sampling

    /**
     * Visits the keys (and values) of one cursor step and returns the next cursor, 0 when the scan is complete:
     * Redis's {@code dictScan} guarantee, as {@link KeyTable#scan}. The visitor must not modify the table.
     *
     * @param cursor 0 to start; otherwise a value this method returned (an unsigned 64-bit number)
     */
    public final long scan(long cursor, BiConsumer<byte[], byte[]> visitor) {
        return scanEntries(cursor, e -> visitor.accept(keyOf(e), valueOf(e)));
    }

    /** Visits every key with its value (null for sets) once. The visitor must not modify the table. */
    protected final void forEachPair(BiConsumer<byte[], byte[]> visitor) {
        forEachEntry(e -> visitor.accept(keyOf(e), valueOf(e)));
    }

    /** A key chosen at random (each slot equally likely), or null when empty. */
    public final byte[] randomKey(SplittableRandom random) {
        Object e = randomEntry(random);
        return e == null ? null : keyOf(e);
    }

    /** An entry chosen at random (each slot equally likely), or null when empty. */
    protected final Object randomEntry(SplittableRandom random) {
        return sampleEntry(random);
    }
}
