package dev.peregrine.server.command;

/**
 * Thrown by a handler, before it writes any reply, to answer an error instead. The message is the full error
 * text without the leading {@code -}, e.g. {@code "ERR syntax error"}. Carries no stack trace: it is control
 * flow, not a fault.
 */
public final class CommandError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandError(String message) {
        super(message, null, false, false);
    }
}
