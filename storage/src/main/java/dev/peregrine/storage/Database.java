package dev.peregrine.storage;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One logical database (SELECT index): a {@link KeyTable} plus expiry.
 *
 * <p>Expiry is kept in the entry itself (no second table keyed by the key) and indexed by a {@link VolatileSet}
 * for the active expire cycle. A key whose time has passed is deleted when accessed through
 * {@link #lookup(byte[], long)} (lazy expiry, unless {@link #expireOnAccess(boolean)} is off, as on a replica) and
 * by {@link #activeExpire(long, int)} sampling, as Redis does. Either way the {@link ExpiryListener} hears of it.
 *
 * <p>Every replacement, removal or in-place change of an entry passes the {@link WriteBarrier}, if one is set,
 * first: the hook a fork-less snapshot needs.
 *
 * <p>Executor-only.
 */
public final class Database {
    /** Keys sampled per round of the active expire cycle (Redis: ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
    public static final int EXPIRE_SAMPLE = 20;

    private final int id;
    private KeyTable table = new KeyTable();
    private VolatileSet volatileKeys = new VolatileSet();
    private final SplittableRandom random = new SplittableRandom();
    private ExpiryListener expiryListener = (db, key, entry) -> { };
    private WriteBarrier barrier;
    /** Told of each key {@link #put} creates (keyspace event {@code new}), or null. */
    private java.util.function.BiConsumer<Database, byte[]> keyAdded;
    private boolean expireOnAccess = true;
    private boolean expiredVisible;
    private long avgTtlMs;

    public Database(int id) {
        this.id = id;
    }

    /** The SELECT index. */
    public int id() {
        return id;
    }

    public void expiryListener(ExpiryListener listener) {
        this.expiryListener = listener;
    }

    /**
     * Sets or clears (null) the listener told, after the fact, of each key {@link #put} adds where none was (not
     * of replacements).
     */
    public void keyAddedListener(java.util.function.BiConsumer<Database, byte[]> listener) {
        this.keyAdded = listener;
    }

    /**
     * Told when an entry leaves the table: removed (deleted, expired, renamed away) or replaced by {@link #put};
     * {@code key} and {@code old} are null when the whole database was cleared. The server wakes clients blocked
     * on a deleted stream with it. Called on the executor thread after the change.
     */
    @FunctionalInterface
    public interface RemovalListener {
        void onRemoved(Database db, byte[] key, Object old);
    }

    private RemovalListener removalListener;

    /** Sets or clears (null) the removal listener. */
    public void removalListener(RemovalListener listener) {
        this.removalListener = listener;
    }

    /** Sets or clears (null) the write barrier. */
    public void writeBarrier(WriteBarrier barrier) {
        this.barrier = barrier;
    }

    /** Whether reads delete keys whose time has passed (true on a primary; a replica waits for the DEL). */
    public void expireOnAccess(boolean on) {
        this.expireOnAccess = on;
    }

    /**
     * Whether reads return keys whose time has passed as if they were live: set on a replica while its
     * primary's commands run, which see every key until the primary deletes it (as Redis's master client).
     */
    public void expiredVisible(boolean on) {
        this.expiredVisible = on;
    }

    /** Number of keys, including those whose time passed but that were not deleted yet (as DBSIZE). */
    public int size() {
        return table.size();
    }

    /** Number of keys with an expiry. */
    public int volatileCount() {
        return volatileKeys.size();
    }

    /** Average TTL in ms of the keys sampled by the last active expire rounds (INFO keyspace avg_ttl). */
    public long averageTtl() {
        return avgTtlMs;
    }

    public KeyTable table() {
        return table;
    }

    // ---------------------------------------------------------------- reads

    /**
     * The live entry with this key, or null. A key whose time passed is deleted here (when expiry on access is
     * on) and reported to the listener; with it off, such a key reads as absent but stays.
     *
     * @param now unix time in ms
     */
    public Object lookup(byte[] key, long now) {
        int hash = KeyHash.hash(key);
        Object e = table.get(key, hash);
        if (e == null) {
            return null;
        }
        long at = Entry.expireAt(e);
        if (at != Entry.NO_EXPIRE && at <= now && !expiredVisible) {
            if (expireOnAccess) {
                expire(key, hash, e);
            }
            return null;
        }
        return e;
    }

    /** The entry with this key whatever its expiry, or null. */
    public Object peek(byte[] key) {
        return table.get(key);
    }

    /**
     * The live entry with this key for a change in place (an aggregate about to be modified), or null; passes
     * the write barrier.
     */
    public Object lookupForWrite(byte[] key, long now) {
        Object e = lookup(key, now);
        if (e != null && barrier != null) {
            barrier.beforeWrite(this, e);
        }
        return e;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Sets the entry of {@code key}, replacing any existing one; the caller decides the new entry's expiry.
     *
     * @return the replaced entry, or null
     */
    public Object put(byte[] key, Object entry) {
        int hash = KeyHash.hash(key);
        if (barrier != null) {
            Object existing = table.get(key, hash);
            if (existing != null) {
                barrier.beforeWrite(this, existing);
            }
        }
        Entry.snapshotMark(entry, table.snapshotParity()); // written after any running snapshot began
        Object old = table.put(key, hash, entry);
        if (old != null && Entry.expireAt(old) != Entry.NO_EXPIRE) {
            volatileKeys.remove(old);
        }
        if (Entry.expireAt(entry) != Entry.NO_EXPIRE) {
            volatileKeys.add(entry);
        }
        if (old == null && keyAdded != null) {
            keyAdded.accept(this, key);
        }
        if (old != null && removalListener != null) {
            removalListener.onRemoved(this, key, old);
        }
        return old;
    }

    /** Removes the key; returns its entry or null. */
    public Object remove(byte[] key) {
        return remove(key, KeyHash.hash(key));
    }

    private Object remove(byte[] key, int hash) {
        if (barrier != null) {
            Object existing = table.get(key, hash);
            if (existing == null) {
                return null;
            }
            barrier.beforeWrite(this, existing);
        }
        Object old = table.remove(key, hash);
        if (old != null && Entry.expireAt(old) != Entry.NO_EXPIRE) {
            volatileKeys.remove(old);
        }
        if (old != null && removalListener != null) {
            removalListener.onRemoved(this, key, old);
        }
        return old;
    }

    /**
     * Sets or clears ({@link Entry#NO_EXPIRE}) the expiry of an existing key.
     *
     * @return false when the key does not exist
     */
    public boolean setExpire(byte[] key, long expireAt) {
        int hash = KeyHash.hash(key);
        Object e = table.get(key, hash);
        if (e == null) {
            return false;
        }
        if (barrier != null) {
            barrier.beforeWrite(this, e);
        }
        long old = Entry.expireAt(e);
        if (old != Entry.NO_EXPIRE) {
            volatileKeys.remove(e);
        }
        if (e instanceof byte[]) {
            e = StringEntry.withExpire((byte[]) e, expireAt);
            Entry.snapshotMark(e, table.snapshotParity());
            table.put(key, hash, e);
        } else {
            ((ObjectEntry) e).expireAt = expireAt;
        }
        if (expireAt != Entry.NO_EXPIRE) {
            volatileKeys.add(e);
        }
        return true;
    }

    /** Moves an object entry to another key of this or another database (RENAME, MOVE) without copying it. */
    public static ObjectEntry rekey(ObjectEntry e, byte[] newKey) {
        e.rekey(newKey);
        return e;
    }

    /** Sets the expiry field of an object entry that is not in any table yet. */
    public static void expireAt(ObjectEntry e, long expireAt) {
        e.expireAt = expireAt;
    }

    /** Removes every key. */
    public void clear() {
        if (barrier != null) {
            // a running snapshot keeps walking the old table, which nobody changes any more: no entry needs saving
            // here, and the new table's entries are all newer than the snapshot
            KeyTable fresh = new KeyTable();
            if (table.snapshotParity() != fresh.snapshotParity()) {
                fresh.flipSnapshotParity();
            }
            table = fresh;
        } else {
            table.clear();
        }
        volatileKeys.clear();
        avgTtlMs = 0;
        if (removalListener != null) {
            removalListener.onRemoved(this, null, null);
        }
    }

    /** Exchanges the contents of two databases (SWAPDB). */
    public static void swap(Database a, Database b) {
        a.swapContents(b);
    }

    private void swapContents(Database other) {
        KeyTable t0 = table;
        table = other.table;
        other.table = t0;
        VolatileSet v0 = volatileKeys;
        volatileKeys = other.volatileKeys;
        other.volatileKeys = v0;
        long t = avgTtlMs;
        avgTtlMs = other.avgTtlMs;
        other.avgTtlMs = t;
    }

    private void expire(byte[] key, int hash, Object e) {
        remove(key, hash);
        expiryListener.onExpired(this, key, e);
    }

    // ---------------------------------------------------------------- active expiry and sampling

    /**
     * One round of the active expire cycle: samples up to {@link #EXPIRE_SAMPLE} volatile keys and deletes those
     * whose time has passed.
     *
     * @param now unix time in ms
     * @param sample how many keys to sample
     * @return how many were deleted; the caller repeats rounds while that is more than 10% of the sample and its
     *         time budget lasts, as Redis's cycle does
     */
    public int activeExpire(long now, int sample) {
        int n = Math.min(sample, volatileKeys.size());
        int expired = 0;
        long ttlSum = 0;
        int ttlCount = 0;
        for (int i = 0; i < n; i++) {
            Object e = volatileKeys.random(random);
            if (e == null) {
                break;
            }
            long at = Entry.expireAt(e);
            if (at <= now) {
                byte[] key = Entry.key(e);
                expire(key, KeyHash.hash(key), e);
                expired++;
            } else {
                ttlSum += at - now;
                ttlCount++;
            }
        }
        if (ttlCount > 0) {
            long avg = ttlSum / ttlCount;
            avgTtlMs = avgTtlMs == 0 ? avg : (avgTtlMs / 50) * 49 + (avg / 50);
        }
        return expired;
    }

    /** A random key's entry (RANDOMKEY), or null when empty. */
    public Object randomEntry() {
        return table.randomEntry(random);
    }

    /** One SCAN step; see {@link KeyTable#scan}. */
    public long scan(long cursor, Consumer<Object> visitor) {
        return table.scan(cursor, visitor);
    }

    /** Every entry, including expired ones not yet deleted. The visitor must not modify the database. */
    public void forEach(Consumer<Object> visitor) {
        table.forEach(visitor);
    }
}
