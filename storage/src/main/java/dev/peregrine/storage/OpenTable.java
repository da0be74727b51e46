package dev.peregrine.storage;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The open-addressing core shared by the keyspace ({@link KeyTable}) and the large hashes, sets and sorted-set
 * member indexes ({@link BytesTable}): one entry object per slot, found by a {@code byte[]} key whose
 * {@link KeyHash} the caller supplies. What an entry is belongs to the subclass, which says how to match an entry
 * against a key ({@link #matches}) and how to hash the key an entry holds ({@link #hashOf}).
 *
 * <h2>Layout</h2>
 * <pre>
 *   table:   Object[] entries  null = never used, TOMBSTONE = deleted, else the entry (4-byte reference)
 *            byte[]   tags     bits 24..31 of the {@link KeyHash} of each live entry's key: a probe compares
 *                              the key only where the tag matches (1 byte a slot instead of a 4-byte hash)
 *   home(k) = hash(k) &amp; (capacity - 1);   capacity a power of two, at least the subclass's minimum
 * </pre>
 * Full hashes are not stored: rehashing and SCAN recompute them from the entry ({@link #hashOf}), as Redis's
 * dict does. A slot costs 5 bytes with compressed references.
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
 * When live slots plus tombstones pass 3/4 of the capacity, a second table is allocated with room for
 * {@code growPercent}% of the live entries; when live entries fall below 1/8 of the capacity, one with room for
 * twice the live entries. Entries move over in steps: {@link #REHASH_STEP_SLOTS} slots on every lookup, store and
 * delete, plus whatever the owner asks for ({@link #rehashSlots}, {@link #rehashFor}), as Redis's incremental
 * rehash does, so no single operation pays for the whole move (a moved entry's hash is recomputed from its key,
 * O(key length)). While two tables exist, new entries go to the second; moved slots of the first become
 * tombstones.
 *
 * <h2>SCAN</h2>
 * The cursor is a home slot index advanced in reverse-binary order, Redis's {@code dictScan} algorithm: one step
 * visits every entry whose home is the cursor's slot (walking that slot's run, hashing the entries on it), and
 * while rehashing, the matching slots of both tables. Since entries never leave their home's run and capacities
 * are powers of two, an entry present for the whole scan is returned at least once however the table grows or
 * shrinks in between.
 *
 * <p>Executor-only; no locking.
 */
public abstract class OpenTable {
    static final Object TOMBSTONE = new Object() {
        @Override
        public String toString() {
            return "TOMBSTONE";
        }
    };
    /** Slots of the old table moved on every operation while rehashing. */
    static final int REHASH_STEP_SLOTS = 16;

    private static final class Table {
        final Object[] entries;
        final byte[] tags;
        final int mask;
        int used;
        int tombstones;

        Table(int capacity) {
            entries = new Object[capacity];
            tags = new byte[capacity];
            mask = capacity - 1;
        }

        int capacity() {
            return entries.length;
        }
    }

    private final int minCapacity;
    private final int growPercent;
    private Table main;
    /** The table being rehashed into, or null. */
    private Table next;
    /** The next slot of {@link #main} to move while rehashing. */
    private int rehashIndex;

    /**
     * @param minCapacity the smallest capacity (a power of two, at least 4)
     * @param growPercent room a grown table gets, in percent of the live entries (above 100)
     * @param expected    number of entries to size the first table for
     */
    protected OpenTable(int minCapacity, int growPercent, int expected) {
        this.minCapacity = minCapacity;
        this.growPercent = growPercent;
        this.main = new Table(capacityFor(expected, minCapacity));
    }

    // ---------------------------------------------------------------- what an entry is (subclass)

    /** The {@link KeyHash} of the key of {@code entry} (a live entry of this table). */
    protected abstract int hashOf(Object entry);

    /** Whether {@code entry} (a live entry of this table) has the key {@code key}. */
    protected abstract boolean matches(Object entry, byte[] key);

    // ---------------------------------------------------------------- size

    /** Number of entries. */
    public final int size() {
        return main.used + (next != null ? next.used : 0);
    }

    /** The slot capacity (of the table being rehashed into, if any). */
    public final int capacity() {
        return next != null ? next.capacity() : main.capacity();
    }

    public final boolean rehashing() {
        return next != null;
    }

    /** Slots allocated across both tables (5 bytes each: a reference and a tag). */
    protected final long slotCount() {
        return main.capacity() + (next != null ? next.capacity() : 0L);
    }

    // ---------------------------------------------------------------- lookup and update

    /** The entry with {@code key}, whose {@link KeyHash} is {@code hash}, or null. */
    protected final Object lookup(byte[] key, int hash) {
        if (next != null) {
            rehashStep(); // may finish the rehash and clear next
            if (next != null) {
                int i = find(next, key, hash);
                if (i >= 0) {
                    return next.entries[i];
                }
            }
        }
        Table t = main;
        int i = find(t, key, hash);
        return i >= 0 ? t.entries[i] : null;
    }

    /**
     * Stores {@code entry} (whose key is {@code key}, of hash {@code hash}) as a new entry or in place of the entry
     * with that key.
     *
     * @return the replaced entry, or null when the key is new
     */
    protected final Object store(byte[] key, int hash, Object entry) {
        if (next != null) {
            rehashStep(); // may finish the rehash and clear next
        }
        if (next != null) {
            int i = find(next, key, hash);
            if (i >= 0) {
                Object old = next.entries[i];
                next.entries[i] = entry;
                return old;
            }
        }
        Table t = main;
        int i = find(t, key, hash);
        if (i >= 0) {
            Object old = t.entries[i];
            t.entries[i] = entry;
            return old;
        }
        if (next != null) {
            insertNew(next, hash, entry);
            if (next.used + next.tombstones > loadLimit(next.capacity())) {
                finishRehash();
                growIfNeeded();
            }
        } else {
            insertNew(t, hash, entry);
            growIfNeeded();
        }
        return null;
    }

    /** Removes {@code key} (of hash {@code hash}); returns its entry, or null when absent. */
    protected final Object delete(byte[] key, int hash) {
        if (next != null) {
            rehashStep(); // may finish the rehash and clear next
        }
        if (next != null) {
            int i = find(next, key, hash);
            if (i >= 0) {
                return removeAt(next, i);
            }
        }
        int i = find(main, key, hash);
        if (i < 0) {
            return null;
        }
        Object old = removeAt(main, i);
        if (next == null && main.capacity() > minCapacity && main.used < main.capacity() / 8) {
            startRehash(capacityFor(main.used * 2L, minCapacity));
        }
        return old;
    }

    /** Drops every entry; the table shrinks to its minimum capacity. */
    protected final void reset() {
        main = new Table(minCapacity);
        next = null;
        rehashIndex = 0;
    }

    private int find(Table t, byte[] key, int hash) {
        Object[] entries = t.entries;
        byte[] tags = t.tags;
        byte tag = tag(hash);
        int mask = t.mask;
        int i = hash & mask;
        while (true) {
            Object o = entries[i];
            if (o == null) {
                return -1;
            }
            if (tags[i] == tag && o != TOMBSTONE && matches(o, key)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private static byte tag(int hash) {
        return (byte) (hash >>> 24);
    }

    private static void insertNew(Table t, int hash, Object entry) {
        Object[] entries = t.entries;
        int mask = t.mask;
        int i = hash & mask;
        while (true) {
            Object o = entries[i];
            if (o == null) {
                break;
            }
            if (o == TOMBSTONE) {
                t.tombstones--;
                break;
            }
            i = (i + 1) & mask;
        }
        entries[i] = entry;
        t.tags[i] = tag(hash);
        t.used++;
    }

    private static Object removeAt(Table t, int i) {
        Object[] entries = t.entries;
        Object old = entries[i];
        t.used--;
        int mask = t.mask;
        if (entries[(i + 1) & mask] == null) {
            entries[i] = null;
            int j = (i - 1) & mask;
            while (entries[j] == TOMBSTONE) {
                entries[j] = null;
                t.tombstones--;
                j = (j - 1) & mask;
            }
        } else {
            entries[i] = TOMBSTONE;
            t.tombstones++;
        }
        t.tags[i] = 0;
        return old;
    }

    // ---------------------------------------------------------------- rehashing

    private static int loadLimit(int capacity) {
        return capacity - (capacity >>> 2);
    }

    /** The smallest power-of-two capacity of at least {@code min} that holds {@code n} entries under the limit. */
    static int capacityFor(long n, int min) {
        long c = min;
        while (loadLimit((int) Math.min(c, 1 << 30)) < n && c < (1 << 30)) {
            c <<= 1;
        }
        return (int) c;
    }

    private void growIfNeeded() {
        if (next == null && main.used + main.tombstones > loadLimit(main.capacity())) {
            // with growPercent 150 this doubles the capacity when the table is full of live entries and keeps it
            // (a clean-up of tombstones) when it is mostly tombstones
            long room = (long) main.used * growPercent / 100;
            startRehash(capacityFor(Math.max(room, minCapacity), minCapacity));
        }
    }

    private void startRehash(int capacity) {
        next = new Table(capacity);
        rehashIndex = 0;
    }

    private void rehashStep() {
        rehashSlots(REHASH_STEP_SLOTS);
    }

    /**
     * Moves up to {@code slots} slots of the old table into the new one.
     *
     * @return whether a rehash is still in progress afterwards
     */
    public final boolean rehashSlots(int slots) {
        Table from = main;
        Table to = next;
        if (to == null) {
            return false;
        }
        Object[] entries = from.entries;
        int end = Math.min(entries.length, rehashIndex + slots);
        for (int i = rehashIndex; i < end; i++) {
            Object o = entries[i];
            if (o != null && o != TOMBSTONE) {
                insertNew(to, hashOf(o), o);
                entries[i] = TOMBSTONE;
                from.used--;
                from.tombstones++;
            }
        }
        rehashIndex = end;
        if (end == entries.length) {
            main = to;
            next = null;
            rehashIndex = 0;
            return false;
        }
        return true;
    }

    /**
     * Rehashes for about {@code nanos} nanoseconds (the periodic task's share), in batches of 1024 slots.
     *
     * @return whether a rehash is still in progress
     */
    public final boolean rehashFor(long nanos) {
        if (next == null) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        while (rehashSlots(1024)) {
            if (System.nanoTime() >= deadline) {
                return true;
            }
        }
        return false;
    }

    private void finishRehash() {
        while (rehashSlots(1 << 16)) {
            // keep moving
        }
    }

    // ---------------------------------------------------------------- iteration and sampling

    /**
     * Visits the entries of one SCAN cursor step and returns the next cursor, 0 when the scan is complete (see the
     * class comment for the guarantee). The visitor must not modify the table.
     *
     * @param cursor 0 to start; otherwise a value this method returned (an unsigned 64-bit number)
     */
    protected final long scanEntries(long cursor, Consumer<Object> visitor) {
        if (size() == 0) {
            return 0;
        }
        long v = cursor;
        if (next == null) {
            Table t = main;
            visitHome(t, (int) (v & t.mask), visitor);
            v |= ~(long) t.mask;
            v = Long.reverse(v);
            v++;
            return Long.reverse(v);
        }
        Table small = main.capacity() <= next.capacity() ? main : next;
        Table large = small == main ? next : main;
        long m0 = small.mask;
        long m1 = large.mask;
        visitHome(small, (int) (v & m0), visitor);
        do {
            visitHome(large, (int) (v & m1), visitor);
            v |= ~m1;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while ((v & (m0 ^ m1)) != 0);
        return v;
    }

    private void visitHome(Table t, int home, Consumer<Object> visitor) {
        Object[] entries = t.entries;
        int mask = t.mask;
        int i = home;
        while (true) {
            Object o = entries[i];
            if (o == null) {
                return;
            }
            if (o != TOMBSTONE && (hashOf(o) & mask) == home) {
                visitor.accept(o);
            }
            i = (i + 1) & mask;
            if (i == home) {
                return;
            }
        }
    }

    /** Visits every entry once. The visitor must not modify the table. */
    protected final void forEachEntry(Consumer<Object> visitor) {
        forEachIn(main, visitor);
        if (next != null) {
            forEachIn(next, visitor);
        }
    }

    private static void forEachIn(Table t, Consumer<Object> visitor) {
        for (Object o : t.entries) {
            if (o != null && o != TOMBSTONE) {
                visitor.accept(o);
            }
        }
    }

    /** An entry chosen at random (each slot equally likely), or null when empty. */
    protected final Object sampleEntry(SplittableRandom random) {
        if (size() == 0) {
            return null;
        }
        for (int attempt = 0; attempt < 64; attempt++) {
            Table t = main;
            if (next != null && random.nextInt(main.capacity() + next.capacity()) >= main.capacity()) {
                t = next;
            }
            Object o = t.entries[random.nextInt(t.capacity())];
            if (o != null && o != TOMBSTONE) {
                return o;
            }
        }
        Table t = main.used > 0 ? main : next;
        int start = random.nextInt(t.capacity());
        for (int n = 0; n < t.capacity(); n++) {
            Object o = t.entries[(start + n) & t.mask];
            if (o != null && o != TOMBSTONE) {
                return o;
            }
        }
        return null;
    }
}
