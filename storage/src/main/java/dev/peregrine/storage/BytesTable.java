package dev.peregrine.storage;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The open-addressing table under the {@code hashtable} encoding of hashes and sets and the member index of
 * sorted sets: one entry object per slot, found by its {@code byte[]} key. What an entry is belongs to the
 * subclass: the member array itself (sets), one packed array holding field and value (hashes), a skiplist node
 * (sorted sets); the subclass says how to match an entry against a key and how to read its key and value. Same
 * scheme as {@link KeyTable}: linear probing, tombstones, incremental rehashing and Redis's reverse-binary SCAN
 * cursor.
 *
 * <h2>Layout</h2>
 * <pre>
 *   table:   Object[] entries  null = never used, TOMBSTONE = deleted, else the entry (4-byte reference)
 *            byte[]   tags     bits 24..31 of the {@link KeyHash} of each live entry's key: a probe compares
 *                              the key only where the tag matches (1 byte a slot instead of a 4-byte hash)
 *   home(k) = hash(k) &amp; (capacity - 1);   capacity a power of two, at least 4
 * </pre>
 * Full hashes are not stored: rehashing and SCAN recompute them from the entry ({@link #hashOf}), as Redis's
 * dict does.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A key lives in the run of non-null slots starting at its home slot; a deletion leaves a tombstone unless
 *       the next slot is null, in which case it and the tombstones before it become null.</li>
 *   <li>Keys never move within a table; only rehashing moves them, into the other table.</li>
 *   <li>Live slots plus tombstones stay at or below 3/4 of the capacity, so every probe ends at a null.</li>
 * </ul>
 *
 * <h2>Complexity</h2>
 * Lookup, insert and delete O(1) expected; each also moves {@link #REHASH_STEP_SLOTS} slots of an ongoing rehash,
 * so growth never pauses for more than that (a moved entry's hash is recomputed from its key, O(key length)).
 * {@link #scan} visits one home slot (and its siblings in the other table while rehashing) per step, hashing the
 * entries of the probe runs it walks. Random sampling O(1) expected.
 *
 * <p>Callers must not modify keys or values they get or put. Executor-only; no locking.
 */
public abstract class BytesTable {
    static final Object TOMBSTONE = new Object();
    static final int MIN_CAPACITY = 4;
    /** Slots of the old table moved on every operation while rehashing. */
    static final int REHASH_STEP_SLOTS = 16;

    private static final class Table {
        final Object[] keys;
        final byte[] tags;
        final int mask;
        int used;
        int tombstones;

        Table(int capacity) {
            keys = new Object[capacity];
            tags = new byte[capacity];
            mask = capacity - 1;
        }

        int capacity() {
            return keys.length;
        }
    }

    private Table main;
    private Table next;
    private int rehashIndex;

    /** @param expected number of keys to size the table for */
    protected BytesTable(int expected) {
        this.main = new Table(capacityFor(expected));
    }

    // ---------------------------------------------------------------- what an entry is (subclass)

    /** The {@link KeyHash} of the key of {@code entry} (a live entry of this table). */
    protected abstract int hashOf(Object entry);

    /** Whether {@code entry} (a live entry of this table) has the key {@code key}. */
    protected abstract boolean matches(Object entry, byte[] key);

    /** The key of {@code entry}: the stored array or a copy, which callers must not modify. */
    protected abstract byte[] keyOf(Object entry);

    /** The value of {@code entry} as an array (the stored array or a copy), or null when entries have none. */
    protected abstract byte[] valueOf(Object entry);

    /** Approximate heap bytes of {@code entry} beyond its slot, for {@link #memoryBytes}. */
    protected abstract long entryBytes(Object entry);

    /** Number of keys. */
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

    /** Approximate bytes held by the slot arrays and the keys and values. */
    public final long memoryBytes() {
        long slots = main.capacity() + (next != null ? next.capacity() : 0);
        long sum = slots * 5 + 48;
        for (Table t = main; t != null; t = t == main ? next : null) {
            for (Object e : t.keys) {
                if (e != null && e != TOMBSTONE) {
                    sum += entryBytes(e);
                }
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- lookup and update

    /** Whether {@code key} is present. */
    public final boolean containsKey(byte[] key) {
        int hash = KeyHash.hash(key);
        if (next != null) {
            rehashStep();
            if (next != null && find(next, key, hash) >= 0) {
                return true;
            }
        }
        return find(main, key, hash) >= 0;
    }

    /** The entry of {@code key}, or null when absent. */
    protected final Object getEntry(byte[] key) {
        int hash = KeyHash.hash(key);
        if (next != null) {
            rehashStep();
            if (next != null) {
                int i = find(next, key, hash);
                if (i >= 0) {
                    return next.keys[i];
                }
            }
        }
        int i = find(main, key, hash);
        return i >= 0 ? main.keys[i] : null;
    }

    /**
     * Stores {@code entry} (whose key is {@code key}) as a new entry or in place of the entry with that key.
     *
     * @return whether the key is new
     */
    protected final boolean putEntry(byte[] key, Object entry) {
        int hash = KeyHash.hash(key);
        if (next != null) {
            rehashStep();
        }
        if (next != null) {
            int i = find(next, key, hash);
            if (i >= 0) {
                next.keys[i] = entry;
                return false;
            }
        }
        int i = find(main, key, hash);
        if (i >= 0) {
            main.keys[i] = entry;
            return false;
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
        return true;
    }

    /** Removes {@code key}; returns whether it was present. */
    public final boolean remove(byte[] key) {
        int hash = KeyHash.hash(key);
        if (next != null) {
            rehashStep();
        }
        if (next != null) {
            int i = find(next, key, hash);
            if (i >= 0) {
                removeAt(next, i);
                return true;
            }
        }
        int i = find(main, key, hash);
        if (i < 0) {
            return false;
        }
        removeAt(main, i);
        if (next == null && main.capacity() > MIN_CAPACITY && main.used < main.capacity() / 8) {
            startRehash(capacityFor(main.used * 2L));
        }
        return true;
    }

    private int find(Table t, byte[] key, int hash) {
        Object[] keys = t.keys;
        byte[] tags = t.tags;
        byte tag = tag(hash);
        int mask = t.mask;
        int i = hash & mask;
        while (true) {
            Object k = keys[i];
            if (k == null) {
                return -1;
            }
            if (tags[i] == tag && k != TOMBSTONE && matches(k, key)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private static byte tag(int hash) {
        return (byte) (hash >>> 24);
    }

    private static void insertNew(Table t, int hash, Object entry) {
        Object[] keys = t.keys;
        int mask = t.mask;
        int i = hash & mask;
        while (true) {
            Object k = keys[i];
            if (k == null) {
                break;
            }
            if (k == TOMBSTONE) {
                t.tombstones--;
                break;
            }
            i = (i + 1) & mask;
        }
        keys[i] = entry;
        t.tags[i] = tag(hash);
        t.used++;
    }

    private static void removeAt(Table t, int i) {
        t.used--;
        int mask = t.mask;
        if (t.keys[(i + 1) & mask] == null) {
            t.keys[i] = null;
            int j = (i - 1) & mask;
            while (t.keys[j] == TOMBSTONE) {
                t.keys[j] = null;
                t.tombstones--;
                j = (j - 1) & mask;
            }
        } else {
            t.keys[i] = TOMBSTONE;
            t.tombstones++;
        }
        t.tags[i] = 0;
    }

    // ---------------------------------------------------------------- rehashing

    private static int loadLimit(int capacity) {
        return capacity - (capacity >>> 2);
    }

    /** The smallest power-of-two capacity that holds {@code n} keys under the load limit. */
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
        Object[] keys = from.keys;
        int end = Math.min(keys.length, rehashIndex + slots);
        for (int i = rehashIndex; i < end; i++) {
            Object k = keys[i];
            if (k != null && k != TOMBSTONE) {
                insertNew(to, hashOf(k), k);
                keys[i] = TOMBSTONE;
                from.used--;
                from.tombstones++;
            }
        }
        rehashIndex = end;
        if (end == keys.length) {
            main = to;
            next = null;
            rehashIndex = 0;
            return false;
        }
        return true;
    }

    private void finishRehash() {
        while (rehashSlots(1 << 16)) {
            // keep moving
        }
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

    /** {@link #scan} handing each visited entry to {@code visitor}. */
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
        Object[] keys = t.keys;
        int mask = t.mask;
        int i = home;
        while (true) {
            Object k = keys[i];
            if (k == null) {
                return;
            }
            if (k != TOMBSTONE && (hashOf(k) & mask) == home) {
                visitor.accept(k);
            }
            i = (i + 1) & mask;
            if (i == home) {
                return;
            }
        }
    }

    /** Visits every key with its value (null for sets) once. The visitor must not modify the table. */
    protected final void forEachPair(BiConsumer<byte[], byte[]> visitor) {
        forEachEntry(e -> visitor.accept(keyOf(e), valueOf(e)));
    }

    /** Visits every entry once. The visitor must not modify the table. */
    protected final void forEachEntry(Consumer<Object> visitor) {
        forEachIn(main, visitor);
        if (next != null) {
            forEachIn(next, visitor);
        }
    }

    private static void forEachIn(Table t, Consumer<Object> visitor) {
        Object[] keys = t.keys;
        for (int i = 0; i < keys.length; i++) {
            Object k = keys[i];
            if (k != null && k != TOMBSTONE) {
                visitor.accept(k);
            }
        }
    }

    /** A key chosen at random (each slot equally likely), or null when empty. */
    public final byte[] randomKey(SplittableRandom random) {
        Object e = randomEntry(random);
        return e == null ? null : keyOf(e);
    }

    /** An entry chosen at random (each slot equally likely), or null when empty. */
    protected final Object randomEntry(SplittableRandom random) {
        if (size() == 0) {
            return null;
        }
        for (int attempt = 0; attempt < 64; attempt++) {
            Table t = main;
            if (next != null && random.nextInt(main.capacity() + next.capacity()) >= main.capacity()) {
                t = next;
            }
            Object k = t.keys[random.nextInt(t.capacity())];
            if (k != null && k != TOMBSTONE) {
                return k;
            }
        }
        Table t = main.used > 0 ? main : next;
        int start = random.nextInt(t.capacity());
        for (int n = 0; n < t.capacity(); n++) {
            Object k = t.keys[(start + n) & t.mask];
            if (k != null && k != TOMBSTONE) {
                return k;
            }
        }
        return null;
    }
}
