package dev.peregrine.storage.list;

/**
 * Receives list elements without a copy: a string element as a slice of a backing array (valid only during the
 * call, must not be modified), an integer-encoded element as its value (its string form is its decimal digits).
 */
public interface ElementSink {
    /** A string element: {@code buf[off, off+len)}. */
    void string(byte[] buf, int off, int len);

    /** An element stored as an integer; its string form is {@code Long.toString(value)}. */
    void integer(long value);
}
