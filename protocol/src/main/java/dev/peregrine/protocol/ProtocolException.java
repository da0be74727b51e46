package dev.peregrine.protocol;

/**
 * A request that breaks the RESP framing rules. The message is the full error text Redis sends for the same
 * fault, without the leading {@code -}, e.g. {@code "ERR Protocol error: invalid bulk length"}. After it the
 * connection is answered with the error and closed, as Redis does.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String reason) {
        super("ERR Protocol error: " + reason, null, false, false);
    }
}
