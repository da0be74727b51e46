package dev.peregrine.storage;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The keyspace hashtable of one database: open addressing with linear probing over entries that carry their own
 * keys (packed {@code byte[]} strings and {@link ObjectEntry} objects), with incremental rehashing and a SCAN
 * cursor that keeps Redis's guarantee.
 *
 * <h2>Layout</h2>
 * <pre>
 *   table:   Object[] entries   null = never used, TOMBSTONE = deleted, else the entry (key inside)
 *            int[]    hashes    the key's {@link KeyHash} for each live slot
 *   home(e) = hash(e) &amp; (capacity - 1);   capacity is a power of two, at least 16
 * </pre>
 * Per key this costs the entry itself plus 8 bytes per slot at a load between 3/8 and 3/4.
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
 * When the table grows past 3/4 full (tombstones included) or shrinks below 1/8 live, a second table sized for
 * twice the live entries is allocated and entries move over in steps: a few slots on every operation, and a
 * time-bounded batch from the server's periodic task ({@link #rehashFor(long)}), as Redis's incremental rehash
 * does, so no single operation pays for the whole move. While two tables exist, new entries go to the second;
 * moved slots of the first become tombstones.
 *
 * <h2>SCAN</h2>
 * The cursor is a home slot index advanced in reverse-binary order, Redis's {@code dictScan} algorithm: one call
 * visits every entry whose home is the cursor's slot (walking that slot's run), and while rehashing, the matching
 * slots of both tables. Since entries never leave their home's run and capacities are powers of two, an entry
 * present for the whole scan is returned at least once however the table grows or shrinks in between.
 *
 * <p>Executor-only; no locking.
 */
public final class KeyTable {
    static final Object TOMBSTONE = new Object() {
        @Override
        public String toString() {
            return "TOMBSTONE";
        }
    };
    static final int MIN_CAPACITY = 16;
    /** Slots of the old table moved on every operation while rehashing. */
    static final int REHASH_STEP_SLOTS = 16;

    private static final class Table {
        final Object[] entries;
        final int[] hashes;
        final int mask;
        int used;
        int tombstones;

        Table(int capacity) {
            entries = new Object[capacity];
            hashes = new int[capacity];
            mask = capacity - 1;
        }

        int capacity() {
            return entries.length;
        }
    }

    private Table main;
    /** The table being rehashed into, or null. */
    private Table next;
    /** The next slot of {@link #main} to move while rehashing. */
    private int rehashIndex;

    public KeyTable() {
        main = new Table(MIN_CAPACITY);
    }

    /** Number of keys. */
    public int size() {
        return main.used + (next != null ? next.used : 0);
    }

    public boolean rehashing() {
        return next != null;
    }

    /** Bytes held by the slot arrays (not the entries), for INFO memory. */
    public long tableBytes() {
        long slots = main.capacity() + (next != null ? next.capacity() : 0);
        return slots * 8 + 32;
    }

    /** The slot capacity of the main table (and of the table being rehashed into, if any). */
    public int capacity() {
        return next != null ? next.capacity() : main.capacity();
    }

    // ---------------------------------------------------------------- lookup and update

    /** The entry with this key, or null. */
    public Object get(byte[] key) {
        return get(key, KeyHash.hash(key));
    }

    /** The entry with this key, whose {@link KeyHash} is {@code hash}, or null. */
    public Object get(byte[] key, int hash) {
        if (next != null) {
            rehashStep();
        }
        // the step may have finished the rehash
        if (next != null) {
            int i = find(next, key, hash);
            if (i >= 0) {
                return next.entries[i];
            }
        }
        int i = find(main, key, hash);
        return i >= 0 ? main.entries[i] : null;
    }

    /**
     * Inserts {@code entry} under {@code key}, or replaces the entry that has the key.
     *
     * @param entry an entry whose key equals {@code key}
     * @return the replaced entry, or null when the key is new
     */
    public Object put(byte[] key, int hash, Object entry) {
        if (next != null) {
            rehashStep();
        }
        // the step may have finished the rehash
        if (next != null) {
            int i = find(next, key, hash);
            if (i >= 0) {
                Object old = next.entries[i];
                next.entries[i] = entry;
                return old;
            }
        }
        int i = find(main, key, hash);
        if (i >= 0) {
            Object old = main.entries[i];
            main.entries[i] = entry;
            return old;
        }
        if (next != null) {
            insertNew(next, hash, entry);
            if (next.used + next.tombstones > loadLimit(next.capacity())) {
                finishRehash();
                growIfNeeded();
            }
        } else {
            insertNew(main, hash, entry);
            growIfNeeded();
        }
        return null;
    }

    /** Removes the key; returns its entry, or null when absent. */
    public Object remove(byte[] key, int hash) {
        if (next != null) {
            rehashStep();
        }
        // the step may have finished the rehash
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
        if (next == null && main.capacity() > MIN_CAPACITY && main.used < main.capacity() / 8) {
            startRehash(capacityFor(main.used * 2));
        }
        return old;
    }

    public Object remove(byte[] key) {
        return remove(key, KeyHash.hash(key));
    }

    /** Removes every key; the table shrinks to its minimum size. */
    public void clear() {
        main = new Table(MIN_CAPACITY);
        next = null;
        rehashIndex = 0;
    }

    private static int find(Table t, byte[] key, int hash) {
        Object[] entries = t.entries;
        int[] hashes = t.hashes;
        int mask = t.mask;
        int i = hash & mask;
        while (true) {
            Object o = entries[i];
            if (o == null) {
                return -1;
            }
            if (hashes[i] == hash && o != TOMBSTONE && Entry.keyEquals(o, key)) {
                return i;
            }
            i = (i + 1) & mask;
        }
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
        t.hashes[i] = hash;
        t.used++;
    }

    private static Object removeAt(Table t, int i) {
        Object old = t.entries[i];
        t.used--;
        int mask = t.mask;
        if (t.entries[(i + 1) & mask] == null) {
            t.entries[i] = null;
            int j = (i - 1) & mask;
            while (t.entries[j] == TOMBSTONE) {
                t.entries[j] = null;
                t.tombstones--;
                j = (j - 1) & mask;
            }
        } else {
            t.entries[i] = TOMBSTONE;
            t.tombstones++;
        }
        t.hashes[i] = 0;
        return old;
    }

    // ---------------------------------------------------------------- rehashing

    private static int loadLimit(int capacity) {
        return capacity - (capacity >>> 2);
    }

    /** The smallest power-of-two capacity that holds {@code n} entries under the load limit. */
    static int capacityFor(long n) {
        long c = MIN_CAPACITY;
        while (loadLimit((int) Math.min(c, 1 << 30)) < n && c < (1 << 30)) {
            c <<= 1;
        }
        return (int) c;
    }

    private void growIfNeeded() {
        if (next == null && main.used + main.tombstones > loadLimit(main.capacity())) {
            startRehash(capacityFor(Math.max((long) main.used * 2, MIN_CAPACITY)));
        }
    }

    private void startRehash(int capacity) {
        next = new Table(capacity);
        rehashIndex = 0;
    }

    /** Moves one step of slots if rehashing. */
    void rehashStep() {
        rehashSlots(REHASH_STEP_SLOTS);
    }

    /**
     * Moves up to {@code slots} slots of the old table.
     *
     * @return whether a rehash is still in progress afterwards
     */
    public boolean rehashSlots(int slots) {
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
                insertNew(to, from.hashes[i], o);
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
    public boolean rehashFor(long nanos) {
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

    // ---------------------------------------------------------------- iteration

    /**
     * Visits the entries of one cursor step and returns the next cursor, 0 when the scan is complete. The
     * visitor must not modify the table. See the class comment for the guarantee.
     *
     * @param cursor 0 to start; otherwise a value this method returned (an unsigned 64-bit number)
     */
    public long scan(long cursor, Consumer<Object> visitor) {
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
            v = Long.reverse(v);
            return v;
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

    private static void visitHome(Table t, int home, Consumer<Object> visitor) {
        Object[] entries = t.entries;
        int mask = t.mask;
        int i = home;
        while (true) {
            Object o = entries[i];
            if (o == null) {
                return;
            }
            if (o != TOMBSTONE && (t.hashes[i] & mask) == home) {
                visitor.accept(o);
            }
            i = (i + 1) & mask;
            if (i == home) {
                return;
            }
        }
    }

    /** Visits every entry once. The visitor must not modify the table. */
    public void forEach(Consumer<Object> visitor) {
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

    /** A uniformly chosen slot's entry, or null when empty. */
    public Object randomEntry(SplittableRandom random) {
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
        Table t = (main.used > 0) ? main : next;
        int start = random.nextInt(t.capacity());
        for (int k = 0; k < t.capacity(); k++) {
            Object o = t.entries[(start + k) & t.mask];
            if (o != null && o != TOMBSTONE) {
                return o;
            }
        }
        return null;
    }
}
