package dev.peregrine.storage;

/**
 * A keyspace entry whose value is not a string: the base of hashes, lists, sets, sorted sets and streams. It
 * carries the key, the access clock and the expiry itself, so the table needs no separate entry object.
 *
 * <p>Strings are stored as packed byte arrays instead, see {@link StringEntry}. Executor-only.
 */
public abstract class ObjectEntry {
    private byte[] key;
    int accessClock;
    long expireAt = Entry.NO_EXPIRE;
    boolean snapshotMark;

    protected ObjectEntry(byte[] key) {
        this.key = key;
    }

    /** The key; callers must not modify it. */
    public final byte[] key() {
        return key;
    }

    /** Moves this value under another key (RENAME, MOVE): shares the data. Executor-only. */
    final void rekey(byte[] newKey) {
        this.key = newKey;
    }

    /** The value's type. */
    public abstract ValueType type();

    /** The encoding OBJECT ENCODING reports, e.g. {@code "listpack"}. */
    public abstract String encoding();

    /** A deep copy of this value under another key (COPY), with no expiry set. */
    public abstract ObjectEntry copyAs(byte[] newKey);
}
