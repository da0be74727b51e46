package dev.peregrine.server.config;

/** A directive that cannot be applied; the message is Redis's reason text, e.g. "argument must be 'yes' or 'no'". */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String reason) {
        super(reason, null, false, false);
    }
}
