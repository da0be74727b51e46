package dev.peregrine.persistence.rdb;

import java.io.IOException;

/**
 * An RDB file (or a part of one) that cannot be loaded: corrupt, truncated, or holding something not supported.
 * The message names the byte offset in the file where the problem was found and what was wrong.
 */
public final class RdbFormatException extends IOException {
    private final long offset;

    /**
     * @param offset byte offset from the start of the file, -1 when unknown
     * @param reason what was wrong
     */
    public RdbFormatException(long offset, String reason) {
        super(offset >= 0 ? "RDB error at offset " + offset + ": " + reason : "RDB error: " + reason);
        this.offset = offset;
    }

    /** Byte offset from the start of the file, -1 when unknown. */
    public long offset() {
        return offset;
    }
}
