package dev.peregrine.persistence.aof;

import java.io.IOException;

/** An AOF file or manifest that cannot be loaded; the message names the file, the offset and what was wrong. */
public final class AofFormatException extends IOException {
    public AofFormatException(String message) {
        super(message);
    }
}
