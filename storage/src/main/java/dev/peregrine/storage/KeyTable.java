package dev.peregrine.storage;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The keyspace hashtable of one database: the shared open-addressing core ({@link OpenTable}: linear probing,
 * tombstones, incremental rehashing, a SCAN cursor that keeps Redis's guarantee) over entries that carry their
 * own keys (packed {@code byte[]} strings and {@link ObjectEntry} objects).
 *
 * <h2>Layout</h2>
 * <pre>
 *   table:   Object[] entries   null = never used, TOMBSTONE = deleted, else the entry (key inside)
 *            byte[]   tags      bits 24..31 of the key's {@link KeyHash} for each live slot
 *   home(e) = hash(e) &amp; (capacity - 1);   capacity is a power of two, at least 16
 * </pre>
 * Per key this costs the entry itself plus 5 bytes per slot at a load between 3/8 and 3/4. Full hashes are not
 * stored: rehashing and SCAN recompute them from the entry's key, read in place inside a packed string entry
 * ({@link StringEntry#keyOffset}, {@link StringEntry#keyLength}) or from {@link ObjectEntry#key()}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>An entry lives in the run of non-null slots starting at its home slot. A deletion leaves a tombstone,
 *       except that a slot followed by a null slot becomes null itself (and so do the tombstones before it),
 *       which keeps every such run intact.</li>
 *   <li>Entries never move within a table; only rehashing moves them, into the other table.</li>
 *   <li>Live slots plus tombstones stay at or below 3/4 of the capacity, so every probe ends at a null.</li>
 * </ul>
 *
 * <h2>Rehashing</h2>
 * When the table grows past 3/4 full (tombstones included), a second table with room for 1.5 times the live
 * entries is allocated (twice the capacity when the slots are live entries, the same capacity when they are mostly
 * tombstones); when it shrinks below 1/8 live, one sized for twice the live entries. Entries move over in steps:
 * a few slots on every operation, and a time-bounded batch from the server's periodic task
 * ({@link #rehashFor(long)}), as Redis's incremental rehash does, so no single operation pays for the whole move.
 * While two tables exist, new entries go to the second; moved slots of the first become tombstones.
 *
 * <h2>SCAN</h2>
 * The cursor is a home slot index advanced in reverse-binary order, Redis's {@code dictScan} algorithm: one call
 * visits every entry whose home is the cursor's slot (walking that slot's run), and while rehashing, the matching
 * slots of both tables. Since entries never leave their home's run and capacities are powers of two, an entry
 * present for the whole scan is returned at least once however the table grows or shrinks in between.
 *
 * <p>Executor-only; no locking.
 */
public final class KeyTable extends OpenTable {
    static final Object TOMBSTONE = OpenTable.TOMBSTONE;
    static final int MIN_CAPACITY = 16;

    private boolean snapshotParity;

    public KeyTable() {
        super(MIN_CAPACITY, 150, 0);
    }

    /**
     * The mark that entries of this table carry once saved by the running snapshot, and that new entries get
     * ({@link Entry#snapshotMark}); a snapshot flips it when it starts, which makes every entry unsaved at once.
     */
    public boolean snapshotParity() {
        return snapshotParity;
    }

    /** Flips {@link #snapshotParity()}: every entry now counts as not yet saved. Executor-only. */
    public void flipSnapshotParity() {
        snapshotParity = !snapshotParity;
    }

    @Override
    protected int hashOf(Object entry) {
        if (entry instanceof byte[]) {
            byte[] e = (byte[]) entry;
            return KeyHash.hash(e, StringEntry.keyOffset(e), StringEntry.keyLength(e));
        }
        return KeyHash.hash(((ObjectEntry) entry).key());
    }

    @Override
    protected boolean matches(Object entry, byte[] key) {
        return Entry.keyEquals(entry, key);
    }

    /** Bytes held by the slot arrays (not the entries), for INFO memory. */
    public long tableBytes() {
        return slotCount() * 5 + 32;
    }

    /** The entry with this key, or null. */
    public Object get(byte[] key) {
        return lookup(key, KeyHash.hash(key));
    }

    /** The entry with this key, whose {@link KeyHash} is {@code hash}, or null. */
    public Object get(byte[] key, int hash) {
        return lookup(key, hash);
    }

    /**
     * Inserts {@code entry} under {@code key}, or replaces the entry that has the key.
     *
     * @param entry an entry whose key equals {@code key}
     * @return the replaced entry, or null when the key is new
     */
    public Object put(byte[] key, int hash, Object entry) {
        return store(key, hash, entry);
    }

    /** Removes the key; returns its entry, or null when absent. */
    public Object remove(byte[] key, int hash) {
        return delete(key, hash);
    }

    public Object remove(byte[] key) {
        return delete(key, KeyHash.hash(key));
    }

    /** Removes every key; the table shrinks to its minimum size. */
    public void clear() {
        reset();
    }

    /** The smallest power-of-two capacity (at least 16) that holds {@code n} entries under the 3/4 load limit. */
    static int capacityFor(long n) {
        return capacityFor(n, MIN_CAPACITY);
    }

    /**
     * Visits the entries of one cursor step and returns the next cursor, 0 when the scan is complete. The
     * visitor must not modify the table. See the class comment for the guarantee.
     *
     * @param cursor 0 to start; otherwise a value this method returned (an unsigned 64-bit number)
     */
    public long scan(long cursor, Consumer<Object> visitor) {
        return scanEntries(cursor, visitor);
    }

    /** Visits every entry once. The visitor must not modify the table. */
    public void forEach(Consumer<Object> visitor) {
        forEachEntry(visitor);
    }

    /** A uniformly chosen slot's entry, or null when empty. */
    public Object randomEntry(SplittableRandom random) {
        return sampleEntry(random);
    }
}
