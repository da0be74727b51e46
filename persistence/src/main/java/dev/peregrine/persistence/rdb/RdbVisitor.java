package dev.peregrine.persistence.rdb;

import java.io.IOException;

/**
 * What {@link RdbReader} reports, in file order. Every method but {@link #onKey} does nothing by default. A
 * method may throw to abort the read; the reader passes the exception on.
 *
 * <p>Called on the thread running {@link RdbReader#read}.
 */
public interface RdbVisitor {
    /** The header was read: the file's RDB version (1 to 11). */
    default void onStart(int version) throws IOException {
    }

    /** An auxiliary field such as {@code redis-ver}, {@code ctime}, {@code used-mem}, {@code lua}. */
    default void onAux(byte[] name, byte[] value) throws IOException {
    }

    /** A function library's source code (FUNCTION2 record). */
    default void onFunction(byte[] code) throws IOException {
    }

    /**
     * Module auxiliary data that was skipped because modules are not supported.
     *
     * @param moduleName the 9-character module type name from the module id
     * @param encodingVersion the module's encoding version from the module id
     */
    default void onModuleAuxSkipped(String moduleName, int encodingVersion) throws IOException {
    }

    /** The following keys belong to database {@code db}. */
    default void onSelectDb(long db) throws IOException {
    }

    /** Size hints for the current database: number of keys and of keys with an expiry. */
    default void onResizeDb(long keys, long expires) throws IOException {
    }

    /**
     * One key.
     *
     * @param db the database last selected (0 before any SELECTDB)
     * @param expireAtMs unix time in ms, or -1 when the key has no expiry
     */
    void onKey(long db, byte[] key, long expireAtMs, RdbValue value) throws IOException;

    /** A key whose value holds no element, skipped as Redis skips it (with a warning). */
    default void onEmptyKeySkipped(long db, byte[] key, int rdbType) throws IOException {
    }

    /**
     * The end of the file was reached with everything well formed.
     *
     * @param checksumVerified true when the file carried a non-zero CRC-64 and it matched; false when it carried
     *                         none (version below 5, or a zero checksum written with {@code rdbchecksum no})
     */
    default void onEnd(boolean checksumVerified) throws IOException {
    }
}
