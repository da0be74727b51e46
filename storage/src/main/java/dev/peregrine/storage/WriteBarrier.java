package dev.peregrine.storage;

/**
 * Told before an entry of a {@link Database} is replaced, removed or changed in place, so a point-in-time
 * snapshot taken without fork can serialize the old value first (the versioning approach of fork-less snapshots:
 * the snapshot walks the table in slices, and a write to a part it has not reached yet saves the old value before
 * it changes).
 *
 * <p>Called on the executor thread, inside the write; it must not modify the database.
 */
@FunctionalInterface
public interface WriteBarrier {
    /**
     * @param db    the database
     * @param entry the entry about to change or go away (never null)
     */
    void beforeWrite(Database db, Object entry);
}
