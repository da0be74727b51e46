package dev.peregrine.storage;

/**
 * Static accessors over the two forms a keyspace entry takes: a packed {@code byte[]} ({@link StringEntry}) for
 * strings, an {@link ObjectEntry} for everything else. Executor-only for entries in the keyspace.
 */
public final class Entry {
    /** The expiry of an entry that has none. */
    public static final long NO_EXPIRE = -1;

    private Entry() {
    }

    public static boolean isString(Object e) {
        return e instanceof byte[];
    }

    public static ValueType type(Object e) {
        return (e instanceof byte[]) ? ValueType.STRING : ((ObjectEntry) e).type();
    }

    /** OBJECT ENCODING's answer. */
    public static String encoding(Object e) {
        return (e instanceof byte[]) ? StringEntry.encoding((byte[]) e) : ((ObjectEntry) e).encoding();
    }

    /** A copy of the key of a string entry, or the key itself of an object entry (do not modify it). */
    public static byte[] key(Object e) {
        return (e instanceof byte[]) ? StringEntry.key((byte[]) e) : ((ObjectEntry) e).key();
    }

    public static boolean keyEquals(Object e, byte[] key) {
        if (e instanceof byte[]) {
            return StringEntry.keyEquals((byte[]) e, key);
        }
        return java.util.Arrays.equals(((ObjectEntry) e).key(), key);
    }

    /** The unix time in ms at which the key expires, or {@link #NO_EXPIRE}. */
    public static long expireAt(Object e) {
        return (e instanceof byte[]) ? StringEntry.expireAt((byte[]) e) : ((ObjectEntry) e).expireAt;
    }

    /**
     * The access clock: the LRU clock (seconds, low 24 bits as Redis's LRU_CLOCK) at the last access, or with an
     * LFU policy the LFU word (16-bit minutes time, 8-bit log counter).
     */
    public static int accessClock(Object e) {
        return (e instanceof byte[]) ? StringEntry.accessClock((byte[]) e) : ((ObjectEntry) e).accessClock;
    }

    public static void accessClock(Object e, int clock) {
        if (e instanceof byte[]) {
            StringEntry.accessClock((byte[]) e, clock);
        } else {
            ((ObjectEntry) e).accessClock = clock;
        }
    }

    /**
     * The snapshot mark of a keyspace entry: an entry whose mark equals its table's
     * {@link KeyTable#snapshotParity()} is already in the running snapshot (or was written after it began), one
     * whose mark differs still has to be saved. Executor-only.
     */
    public static boolean snapshotMark(Object e) {
        return e instanceof byte[] ? StringEntry.snapshotMark((byte[]) e) : ((ObjectEntry) e).snapshotMark;
    }

    /** Sets the snapshot mark of {@code e}. Executor-only. */
    public static void snapshotMark(Object e, boolean mark) {
        if (e instanceof byte[]) {
            StringEntry.snapshotMark((byte[]) e, mark);
        } else {
            ((ObjectEntry) e).snapshotMark = mark;
        }
    }
}
